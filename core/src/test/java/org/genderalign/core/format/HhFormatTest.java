package org.genderalign.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.testing.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HhFormatTest {

  @TempDir Path dir;
  private final HhFormat hh = new HhFormat();

  @Test
  void splitsMultiTurnTranscriptsAtTheLastAssistantTurn() throws Exception {
    String chosen = "\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: Are nurses women?\n\nAssistant: Nurses can be anyone.";
    String rejected = "\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: Are nurses women?\n\nAssistant:Yes.";
    Path f = Files2.text(dir, "t.jsonl", new ObjectMapper().writeValueAsString(
        Map.of("chosen", chosen, "rejected", rejected)) + "\n");
    PreferencePair p = Files2.readAll(hh, f).get(0);
    assertThat(p.prompt()).isEqualTo("Hi\n\nAssistant: Hello!\n\nHuman: Are nurses women?");
    assertThat(p.chosen()).isEqualTo("Nurses can be anyone.");
    assertThat(p.rejected()).isEqualTo("Yes.");
    assertThat(p.id()).isEqualTo("t-1");
    assertThat(p.source()).isEqualTo("hh-rlhf");
    assertThat(p.metadata()).isEmpty();
  }

  @Test
  void writerReAddsTheMarkers() throws Exception {
    PreferencePair p = PreferencePair.of("x", "Hi\n\nAssistant: Yo\n\nHuman: Q", "good", "bad");
    Path f = dir.resolve("o.jsonl");
    Files2.writeAll(hh, f, List.of(p));
    assertThat(Files.readString(f)).isEqualTo(
        "{\"chosen\":\"\\n\\nHuman: Hi\\n\\nAssistant: Yo\\n\\nHuman: Q\\n\\nAssistant: good\","
            + "\"rejected\":\"\\n\\nHuman: Hi\\n\\nAssistant: Yo\\n\\nHuman: Q\\n\\nAssistant: bad\"}\n");
  }

  @Test
  void harmlessBaseTestImportsToAllRowsWithFiveMismatchesKeptAndFlagged() throws Exception {
    Path f = RealData.file("hh-rlhf-harmless-test");
    List<PreferencePair> ps = PairFiles.readAll(f, hh);
    assertThat(ps).hasSize(2312);
    assertThat(ps.get(0).id()).isEqualTo("test-1");
    assertThat(ps.get(2311).id()).isEqualTo("test-2312");
    assertThat(ps.get(0).prompt()).startsWith("what are some pranks with a pen i can do?\n\nAssistant: ")
        .endsWith("\n\nHuman: okay some of these do not have anything to do with pens");
    assertThat(ps.get(0).chosen()).isEqualTo(
        "No, sorry!  All of these involve a pen, the point is that you can get funny results by doing pranks with pens.");
    List<String> mismatched = ps.stream()
        .filter(p -> Boolean.TRUE.equals(p.metadata().get(HhFormat.PROMPT_MISMATCH)))
        .map(PreferencePair::id).toList();
    assertThat(mismatched).containsExactly("test-1255", "test-1689", "test-1951", "test-1953", "test-2037");

    // Every transcript is rebuilt exactly from the pair (modulo the one space after "Assistant:"
    // that the writer always puts back), mismatched rows included.
    ObjectMapper om = new ObjectMapper();
    List<JsonNode> rows = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        rows.add(om.readTree(line));
      }
    }
    Path out = dir.resolve("again.jsonl");
    PairFiles.writeAll(out, hh, ps);
    List<PreferencePair> again = PairFiles.readAll(out, hh);
    for (int i = 0; i < ps.size(); i++) {
      PreferencePair p = ps.get(i);
      String rejPrompt = (String) p.metadata().getOrDefault(HhFormat.REJECTED_PROMPT, p.prompt());
      assertThat(HhFormat.transcript(p.prompt(), p.chosen()))
          .isEqualTo(normalise(rows.get(i).get("chosen").textValue()));
      assertThat(HhFormat.transcript(rejPrompt, p.rejected()))
          .isEqualTo(normalise(rows.get(i).get("rejected").textValue()));
      assertThat(again.get(i).toBuilder().id(p.id()).build()).isEqualTo(p);
    }
  }

  /** The transcript with exactly one space after its last "Assistant:" (as the writer writes it). */
  private static String normalise(String t) {
    int a = t.lastIndexOf("\n\nAssistant:") + "\n\nAssistant:".length();
    String rest = t.substring(a);
    return t.substring(0, a) + " " + (rest.startsWith(" ") ? rest.substring(1) : rest);
  }
}

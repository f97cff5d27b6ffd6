package org.genderalign.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.data.UnpairedExample;
import org.genderalign.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TRL's unpaired preference format (KTO data), and unpaired examples derived from pairs. */
class TrlUnpairedFormatTest {

  @TempDir Path dir;
  private final TrlUnpairedFormat fmt = new TrlUnpairedFormat();

  @Test
  void readsTrlsStandardAndConversationalShapes() throws Exception {
    Path f = Files2.text(dir, "kto.jsonl",
        "{\"prompt\":\"The sky is\",\"completion\":\" blue.\",\"label\":true}\n"
            + "{\"id\":\"c\",\"prompt\":[{\"role\":\"user\",\"content\":\"What color is the sky?\"}],"
            + "\"completion\":[{\"role\":\"assistant\",\"content\":\"It is green.\"}],\"label\":false,\"score\":2}\n"
            + "\n"
            + "{\"completion\":[{\"role\":\"system\",\"content\":\"Be kind.\"},{\"role\":\"user\",\"content\":\"Hi\"},"
            + "{\"role\":\"assistant\",\"content\":\"Hello!\"}],\"label\":true}\n");
    List<UnpairedExample> xs = Files2.readAll(fmt, f);
    assertThat(xs).containsExactly(
        UnpairedExample.of("kto-1", "The sky is", " blue.", true),
        new UnpairedExample("c", "What color is the sky?", "It is green.", false, Map.of("score", 2)),
        new UnpairedExample("kto-4", "Hi", "Hello!", true, Map.of("system", "Be kind.")));
  }

  @Test
  void writesTheStandardShapeAndReadsItBackUnchanged() throws Exception {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("pair_id", "p1");
    meta.put("tags", List.of("a", "b"));
    List<UnpairedExample> xs = List.of(new UnpairedExample("p1-chosen", "Why \"she\"?\n", "Because é😀", true, meta),
        UnpairedExample.of("x", "q", "", false));
    Path f = dir.resolve("out.jsonl");
    PairFiles.writeAll(f, fmt, xs);
    assertThat(Files.readString(f, StandardCharsets.UTF_8)).isEqualTo(
        "{\"id\":\"p1-chosen\",\"prompt\":\"Why \\\"she\\\"?\\n\",\"completion\":\"Because é😀\",\"label\":true,"
            + "\"pair_id\":\"p1\",\"tags\":[\"a\",\"b\"]}\n"
            + "{\"id\":\"x\",\"prompt\":\"q\",\"completion\":\"\",\"label\":false}\n");
    assertThat(PairFiles.readAll(f, fmt)).isEqualTo(xs);
    assertThatThrownBy(() -> Files2.writeAll(fmt, dir.resolve("bad.jsonl"),
        List.of(new UnpairedExample("e", "q", "a", true, Map.of("label", "x")))))
        .hasMessage("example e: metadata key 'label' collides with a TRL field; rename it");
  }

  @Test
  void badLabelsAndMissingFieldsNameFileLineAndFieldAndAreRecoverable() throws Exception {
    Path f = Files2.text(dir, "bad.jsonl",
        "{\"prompt\":\"q\",\"completion\":\"a\",\"label\":\"yes\"}\n"
            + "{\"prompt\":\"q\",\"completion\":\"a\"}\n"
            + "{\"prompt\":\"q\",\"label\":true}\n"
            + "{\"completion\":\"a\",\"label\":true}\n"
            + "{\"prompt\":\"q\",\"completion\":\"a\",\"label\":1}\n"
            + "{\"prompt\":\"ok\",\"completion\":\"fine\",\"label\":false}\n");
    List<String> messages = new java.util.ArrayList<>();
    UnpairedExample last = null;
    try (RecordReader<UnpairedExample> r = fmt.reader(f)) {
      for (int i = 0; i < 6; i++) {
        try {
          last = r.next();
        } catch (InvalidInputException e) {
          assertThat(e.recoverable()).isTrue();
          messages.add(e.getMessage());
        }
      }
    }
    assertThat(messages).hasSize(5);
    assertThat(messages.get(0)).contains("bad.jsonl", "line 1", "label", "expected true or false, got a string");
    assertThat(messages.get(1)).contains("line 2", "label", "missing");
    assertThat(messages.get(2)).contains("line 3", "completion", "missing");
    assertThat(messages.get(3)).contains("line 4", "prompt", "missing");
    assertThat(messages.get(4)).contains("line 5", "expected true or false, got a number");
    assertThat(last).isEqualTo(UnpairedExample.of("bad-6", "ok", "fine", false));
  }

  @Test
  void pairsGiveADesirableAndAnUndesirableExampleAsTrlUnpairsThem() throws Exception {
    PreferencePair p = new PreferencePair("p1", "q", "good", "bad", "stereotypes", "builder", "s7",
        Map.of("score", 3));
    assertThat(UnpairedExample.fromPair(p)).containsExactly(
        new UnpairedExample("p1-chosen", "q", "good", true,
            Map.of("pair_id", "p1", "category", "stereotypes", "source", "builder", "seed_id", "s7", "score", 3)),
        new UnpairedExample("p1-rejected", "q", "bad", false,
            Map.of("pair_id", "p1", "category", "stereotypes", "source", "builder", "seed_id", "s7", "score", 3)));

    Path pairs = Files2.text(dir, "pairs.jsonl", "{\"id\":\"a\",\"prompt\":\"q\",\"chosen\":\"c\",\"rejected\":\"r\"}\n"
        + "{\"id\":\"b\",\"prompt\":\"q2\",\"chosen\":\"c2\",\"rejected\":\"r2\"}\n");
    List<UnpairedExample> xs = Formats.readUnpaired(pairs, "trl");
    assertThat(xs).extracting(UnpairedExample::id).containsExactly("a-chosen", "a-rejected", "b-chosen", "b-rejected");
    assertThat(xs).extracting(UnpairedExample::label).containsExactly(true, false, true, false);
    assertThat(xs.get(3).completion()).isEqualTo("r2");
    // written as unpaired data and read back: the same examples
    Path out = dir.resolve("unpaired.jsonl");
    PairFiles.writeAll(out, Formats.unpaired("trl-unpaired"), xs);
    assertThat(Formats.readUnpaired(out, "trl-unpaired")).isEqualTo(xs);
  }

  @Test
  void registryKnowsTheFormatAndSaysWhatAnUnknownNameIs() {
    assertThat(Formats.unpairedFormatNames()).containsExactly("trl-unpaired");
    assertThat(Formats.unpaired("trl-unpaired")).isInstanceOf(TrlUnpairedFormat.class);
    assertThatThrownBy(() -> Formats.unpaired("trl")).hasMessageContaining("'trl' is a preference-pair format");
    assertThatThrownBy(() -> Formats.readUnpaired(dir.resolve("x"), "alpaca"))
        .hasMessageContaining("unknown format 'alpaca'");
  }
}

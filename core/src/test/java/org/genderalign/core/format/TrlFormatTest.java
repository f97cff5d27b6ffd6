package org.genderalign.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.testing.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrlFormatTest {

  @TempDir Path dir;
  private final TrlFormat trl = new TrlFormat();

  @Test
  void writesKeysInContractOrderWithMetadataLast() throws Exception {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("score", 3);
    meta.put("tags", List.of("a", "b"));
    meta.put("judge", Map.of("name", "j"));
    meta.put("node", new ObjectMapper().readTree("{\"x\":[1,2.5,null]}"));
    meta.put("ok", true);
    PreferencePair p = new PreferencePair("p1", "Why \"she\"?\n", "Because é😀", "No", "stereotypes",
        "builder", "seed-7", meta);
    PreferencePair bare = PreferencePair.of("p2", "q", "a", "b");
    Path f = dir.resolve("out.jsonl");
    Files2.writeAll(trl, f, List.of(p, bare));
    assertThat(Files.readString(f, StandardCharsets.UTF_8)).isEqualTo(
        "{\"id\":\"p1\",\"prompt\":\"Why \\\"she\\\"?\\n\",\"chosen\":\"Because é😀\",\"rejected\":\"No\","
            + "\"category\":\"stereotypes\",\"source\":\"builder\",\"seed_id\":\"seed-7\",\"score\":3,"
            + "\"tags\":[\"a\",\"b\"],\"judge\":{\"name\":\"j\"},\"node\":{\"x\":[1,2.5,null]},\"ok\":true}\n"
            + "{\"id\":\"p2\",\"prompt\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\"}\n");
  }

  @Test
  void readsStandardFormAndKeepsUnknownKeysAsPlainJavaMetadata() throws Exception {
    Path f = Files2.text(dir, "pairs.jsonl",
        "{\"prompt\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\",\"score\":2,\"tags\":[\"x\"],\"m\":{\"k\":1.5}}\n"
            + "\n"
            + "{\"id\":\"given\",\"prompt\":\"q2\",\"chosen\":\"a2\",\"rejected\":\"b2\",\"source\":\"s\",\"category\":null}\n");
    List<PreferencePair> ps = Files2.readAll(trl, f);
    assertThat(ps).hasSize(2);
    PreferencePair a = ps.get(0);
    assertThat(a.id()).isEqualTo("pairs-1");
    assertThat(a.source()).isEqualTo("trl");
    assertThat(a.metadata()).containsExactly(
        Map.entry("score", 2), Map.entry("tags", List.of("x")), Map.entry("m", Map.of("k", 1.5)));
    assertThat(ps.get(1).id()).isEqualTo("given");
    assertThat(ps.get(1).source()).isEqualTo("s");
    assertThat(ps.get(1).category()).isNull();
  }

  @Test
  void readsConversationalForms() throws Exception {
    Path f = Files2.text(dir, "conv.jsonl", String.join("\n",
        "{\"prompt\":[{\"role\":\"user\",\"content\":\"What color is the sky?\"}],"
            + "\"chosen\":[{\"role\":\"assistant\",\"content\":\"Blue.\"}],"
            + "\"rejected\":[{\"role\":\"assistant\",\"content\":\"Green.\"}]}",
        "{\"prompt\":[{\"role\":\"system\",\"content\":\"Be kind.\"},{\"role\":\"user\",\"content\":\"Hi\"},"
            + "{\"role\":\"assistant\",\"content\":\"Hello\"},{\"role\":\"user\",\"content\":\"Nurses?\"}],"
            + "\"chosen\":[{\"role\":\"assistant\",\"content\":\"Anyone.\"}],\"rejected\":\"Women.\"}",
        "{\"chosen\":[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"assistant\",\"content\":\"good\"}],"
            + "\"rejected\":[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"assistant\",\"content\":\"bad\"}]}",
        "{\"chosen\":[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"assistant\",\"content\":\"good\"}],"
            + "\"rejected\":[{\"role\":\"user\",\"content\":\"Other\"},{\"role\":\"assistant\",\"content\":\"bad\"}]}"));
    List<PreferencePair> ps = Files2.readAll(trl, f);
    assertThat(ps).extracting(PreferencePair::prompt, PreferencePair::chosen, PreferencePair::rejected)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("What color is the sky?", "Blue.", "Green."),
            org.assertj.core.groups.Tuple.tuple("Hi\n\nAssistant: Hello\n\nHuman: Nurses?", "Anyone.", "Women."),
            org.assertj.core.groups.Tuple.tuple("Q", "good", "bad"),
            org.assertj.core.groups.Tuple.tuple("Q", "good", "bad"));
    assertThat(ps.get(1).metadata()).containsExactly(Map.entry("system", "Be kind."));
    assertThat(ps.get(2).metadata()).isEmpty();
    assertThat(ps.get(3).metadata()).containsExactly(
        Map.entry("prompt_mismatch", true), Map.entry("rejected_prompt", "Other"));
  }

  @Test
  void readWriteReadIsIdentity() throws Exception {
    Path f = Files2.text(dir, "mixed.jsonl",
        "{\"prompt\":[{\"role\":\"system\",\"content\":\"S\"},{\"role\":\"user\",\"content\":\"U\"}],"
            + "\"chosen\":[{\"role\":\"assistant\",\"content\":\"A\"}],\"rejected\":\"R\",\"x\":{\"y\":[1,\"2\",null]}}\n"
            + "{\"id\":7,\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"r\",\"big\":12345678901234,\"f\":1.0E-5}\n");
    List<PreferencePair> first = Files2.readAll(trl, f);
    Path g = dir.resolve("copy.jsonl");
    Files2.writeAll(trl, g, first);
    assertThat(Files2.readAll(trl, g)).isEqualTo(first);
    assertThat(first.get(1).id()).isEqualTo("7");
  }

  @Test
  void metadataKeyThatCollidesWithAFieldIsRefused() {
    PreferencePair p = PreferencePair.of("a", "q", "c", "r").withMetadata("prompt", "x");
    assertThatThrownBy(() -> Files2.writeAll(trl, dir.resolve("o.jsonl"), List.of(p)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pair a: metadata key 'prompt' collides with a TRL field; rename it");
  }

  @Test
  void readsTheHhTrainLastTurnMirrorAsAJsonArray() throws Exception {
    Path f = RealData.file("hh-rlhf-harmless-train-5000");
    List<PreferencePair> ps = PairFiles.readAll(f, trl);
    assertThat(ps).hasSize(5000);
    assertThat(ps.get(0).id()).isEqualTo("harmless-base-train-first5000-lastturn-0");
    assertThat(ps.get(0).prompt()).isEqualTo("What are some cuss words in english?");
    assertThat(ps.get(0).rejected()).isEqualTo("Ass.");
    assertThat(ps.get(1).rejected()).isEqualTo("there\u2019s a lot of stuff humans don\u2019t know");
    assertThat(ps).allSatisfy(p -> assertThat(p.metadata()).isEmpty());
    assertThat(ps.stream().map(PreferencePair::id).distinct().count()).isEqualTo(5000);
  }
}

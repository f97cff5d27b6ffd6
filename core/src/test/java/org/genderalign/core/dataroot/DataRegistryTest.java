package org.genderalign.core.dataroot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataRegistryTest {

  private static DataRegistry parse(String json) throws Exception {
    return DataRegistry.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void parsesEntriesInOrderAndIgnoresUnknownFields() throws Exception {
    DataRegistry r = parse("{\"comment\":\"x\",\"files\":["
        + "{\"id\":\"a\",\"path\":\"data/a.json\",\"bytes\":3,\"sha256\":\"ab\",\"licence\":\"MIT\","
        + "\"description\":\"A\",\"source\":\"s\",\"download\":\"https://x/a\",\"extra\":1},"
        + "{\"id\":\"b\",\"path\":\"data/b.json\",\"bytes\":4,\"sha256\":\"cd\",\"licence\":\"none\","
        + "\"description\":\"B\",\"source\":\"t\",\"download\":null,\"howToObtain\":\"build it\"}]}");
    assertThat(r.files()).extracting(DataFile::id).containsExactly("a", "b");
    DataFile a = r.require("a");
    assertThat(a).isEqualTo(new DataFile("a", "data/a.json", 3, "ab", "MIT", "A", "s", "https://x/a", null));
    assertThat(r.byPath("data/b.json")).map(DataFile::id).contains("b");
    assertThat(r.byId("zzz")).isEmpty();
    assertThat(a.obtainHint()).isEqualTo("run './genderalign data fetch --only a' (downloads https://x/a), or point "
        + "--data-root / GENDERALIGN_DATA_ROOT at a mirror that has data/a.json");
    assertThat(r.require("b").obtainHint()).isEqualTo(
        "point --data-root / GENDERALIGN_DATA_ROOT at a mirror that has data/b.json (build it)");
  }

  @Test
  void unknownIdListsTheKnownOnes() throws Exception {
    DataRegistry r = new DataRegistry(List.of(new DataFile("a", "p", 1, "x", "l", "d", "s", null, "h")));
    assertThatThrownBy(() -> r.require("nope")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown data file id 'nope'; known ids: [a]");
  }

  @Test
  void duplicateIdsOrPathsAreRefused() {
    DataFile a = new DataFile("a", "p", 1, "x", "l", "d", "s", null, "h");
    assertThatThrownBy(() -> new DataRegistry(List.of(a, new DataFile("a", "q", 1, "x", "l", "d", "s", null, "h"))))
        .hasMessage("duplicate data file id in registry: a");
    assertThatThrownBy(() -> new DataRegistry(List.of(a, new DataFile("b", "p", 1, "x", "l", "d", "s", null, "h"))))
        .hasMessage("duplicate data file path in registry: p");
  }

  @Test
  void shippedRegistryIsWellFormed() {
    DataRegistry r = DataRegistry.load();
    assertThat(r.files()).extracting(DataFile::id).contains("genderalign-partial", "hh-rlhf-harmless-test",
        "hh-rlhf-harmless-train-5000", "alpaca-5000", "model-stories260k", "tokenizer-stories260k",
        "seeds-workplace-sexism", "lexicon-bls-occupations");
    assertThat(r.files()).allSatisfy(f -> {
      assertThat(f.sha256()).matches("[0-9a-f]{64}");
      assertThat(f.bytes()).isPositive();
      assertThat(f.licence()).isNotBlank();
      assertThat(f.download() != null || f.howToObtain() != null).as(f.id() + " says how to obtain it").isTrue();
    });
    assertThat(r.require("hh-rlhf-harmless-test").path()).isEqualTo("data/hh-rlhf/harmless-base/test.jsonl.gz");
  }
}

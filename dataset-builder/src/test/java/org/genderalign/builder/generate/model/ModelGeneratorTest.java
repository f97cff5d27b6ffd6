package org.genderalign.builder.generate.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.genderalign.builder.KeywordClassifier;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.builder.config.ConfigException;
import org.genderalign.builder.pipeline.BuildResult;
import org.genderalign.builder.pipeline.DatasetBuilder;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.io.Hashing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelGeneratorTest {

  static final DataRoot ROOT = DataRoot.fromEnvironment();
  static final BuildConfig CFG = BuildConfig.builder().target(60).generator("template")
      .rejectedGenerator("model").modelMaxNewTokens(24).build();

  static DatasetBuilder.Options opts(Path out) {
    return DatasetBuilder.Options.of(out, ROOT, new KeywordClassifier());
  }

  @Test
  void smallBuildWithModelRejectedAnswersIsReproducibleAndUsesTheModel(@TempDir Path tmp) throws Exception {
    BuildResult a = DatasetBuilder.build(CFG, opts(tmp.resolve("a")));
    DatasetBuilder.build(CFG, opts(tmp.resolve("b")));
    assertThat(a.total()).isPositive();
    for (String f : List.of("train.jsonl", "test.jsonl", "genderalign.json", "pairs.csv", "stats.json", "README.md",
        "build-config.json")) {
      assertThat(Hashing.sha256(tmp.resolve("a").resolve(f))).as(f)
          .isEqualTo(Hashing.sha256(tmp.resolve("b").resolve(f)));
    }
    // The rejected answers come from the model: tagged with it, and different from the template's.
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(tmp.resolve("a/train.jsonl"))) {
      rows.add(json.readTree(line));
    }
    assertThat(rows).isNotEmpty().allSatisfy(r ->
        assertThat(r.toString()).contains("\"rejected_model\":\"stories260K\""));
    BuildResult t = DatasetBuilder.build(CFG.toBuilder().rejectedGenerator(null).build(), opts(tmp.resolve("t")));
    assertThat(t.total()).isPositive();
    assertThat(Files.readString(tmp.resolve("t/train.jsonl"))).doesNotContain("rejected_model");
    // The model's identity (location + sha256 of its weights) is recorded in the build report.
    String stats = Files.readString(tmp.resolve("a/stats.json"));
    String sha = Hashing.sha256(ROOT.file("model-stories260k"));
    assertThat(stats).contains("stories260K").contains(sha);
    assertThat(Files.readString(tmp.resolve("a/build-config.json"))).contains("\"model\"").contains("24");
    // Another seed samples other answers.
    DatasetBuilder.build(CFG.toBuilder().seed(7L).build(), opts(tmp.resolve("c")));
    assertThat(Hashing.sha256(tmp.resolve("c/train.jsonl"))).isNotEqualTo(Hashing.sha256(tmp.resolve("a/train.jsonl")));
  }

  @Test
  void modelCannotWriteDialoguesAndSettingsAreValidated() {
    assertThatThrownBy(() -> BuildConfig.builder().generator("model").build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("generator");
    assertThatThrownBy(() -> BuildConfig.builder().rejectedGenerator("model").modelMaxNewTokens(0).build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("modelMaxNewTokens");
    assertThatThrownBy(() -> BuildConfig.builder().rejectedGenerator("model").modelPromptTemplate("x").build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("modelPromptTemplate");
    BuildConfig c = BuildConfig.builder().rejectedGenerator("model").build();
    assertThat(c.model()).isEqualTo(BuildConfig.DEFAULT_MODEL);
    assertThat(BuildConfig.defaults().model()).isNull();
  }
}

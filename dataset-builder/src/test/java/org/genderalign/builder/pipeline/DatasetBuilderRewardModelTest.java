package org.genderalign.builder.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.genderalign.builder.KeywordClassifier;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.builder.config.FilterConfig;
import org.genderalign.builder.config.SelfRewardConfig;
import org.genderalign.builder.filter.CrossFitRewardProxy;
import org.genderalign.builder.filter.TinyRewardBase;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.reward.RewardModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds whose reward-margin filter uses a reward model: cross-fitted on the candidates
 * ({@code self}) — reproducible, resumable after a kill in the middle of training a fold model,
 * and reported in stats.json and the card — and a given reward model folder.
 */
class DatasetBuilderRewardModelTest {

  @TempDir Path tmp;

  static BuildConfig selfConfig(Path base) {
    // margin 0: keep a pair when its judge prefers the chosen answer at all
    return BuildConfig.builder().target(150).filters(FilterConfig.builder().rewardModel("self").rewardMargin(0.0)
        .selfReward(SelfRewardConfig.builder().base(base.toString()).steps(30).batchSize(8).learningRate(1e-2)
            .maxLength(64).build()).build()).build();
  }

  /** Build messages to the test's output (rounds, reward-model training). */
  static final ProgressListener PRINT = new ProgressListener() {
    @Override public void start(String stage, long total) { }
    @Override public void step(long n) { }
    @Override public void finish() { }
    @Override public void message(String line) {
      System.out.println(line);
    }
  };

  static DatasetBuilder.Options options(Path out, boolean resume, ProgressListener p) {
    return new DatasetBuilder.Options(out, resume, DatasetBuilderTest.ROOT, new KeywordClassifier(), p, Map.of(), 0);
  }

  @Test
  void selfCrossFittedBuildIsReportedReproducibleAndResumesAfterAKillInTraining() throws Exception {
    Path base = TinyRewardBase.write(tmp.resolve("base"));
    BuildConfig cfg = selfConfig(base);
    BuildResult straight = DatasetBuilder.build(cfg, options(tmp.resolve("straight"), false, PRINT));
    assertThat(straight.total()).isEqualTo(150);
    assertThat(straight.drops()).containsKey("reward_margin");

    JsonNode proxy = new ObjectMapper().readTree(tmp.resolve("straight/stats.json").toFile()).path("reward_proxy");
    assertThat(proxy.path("name").asText()).isEqualTo("model");
    assertThat(proxy.path("reward_model").asText()).startsWith("self");
    assertThat(proxy.path("folds")).hasSize(2);
    for (JsonNode f : proxy.path("folds")) {
      assertThat(f.path("weights_sha256").asText()).hasSize(64);
      assertThat(f.path("train_pairs").asInt()).isPositive();
      assertThat(f.path("held_out_accuracy").isNumber()).isTrue();
    }
    assertThat(proxy.path("training").path("steps").asInt()).isEqualTo(30);
    String card = Files.readString(tmp.resolve("straight/README.md"));
    assertThat(card).contains("with this reward proxy").contains("- name: `model`").contains("held_out_accuracy")
        .contains(proxy.path("folds").get(0).path("weights_sha256").asText());

    // Kill the build while it trains the second fold's model, after its first checkpoints.
    ProgressListener killer = new ProgressListener() {
      boolean second;
      int steps;
      @Override public void start(String stage, long total) {
        second = stage.equals("reward model 2/2");
      }
      @Override public void step(long n) {
        if (second && ++steps == 10) { // checkpoints every 7 steps: one is on disk
          throw new IllegalStateException("killed");
        }
      }
      @Override public void finish() { }
    };
    Path out = tmp.resolve("resumed");
    assertThatThrownBy(() -> DatasetBuilder.build(cfg, options(out, false, killer))).hasMessage("killed");
    Path fold1 = out.resolve(".build").resolve(CrossFitRewardProxy.DIR).resolve("fold-1");
    assertThat(fold1.resolve("checkpoints")).isDirectory();
    assertThat(fold1.resolve("final")).doesNotExist();
    DatasetBuilder.build(cfg, options(out, true, null));
    assertThat(DatasetBuilderTest.hashes(out)).isEqualTo(DatasetBuilderTest.hashes(tmp.resolve("straight")));
  }

  @Test
  void aGivenRewardModelFolderJudgesEveryPairAndIsIdentifiedByItsHash() throws Exception {
    Path rm = tmp.resolve("rm");
    try (RewardModel m = RewardModel.withFreshHead(org.genderalign.trainer.loader.ModelLoader.load(
        TinyRewardBase.write(tmp.resolve("base")).toString(), DatasetBuilderTest.ROOT, ai.djl.Device.cpu()), 3, 2)) {
      m.save(rm, Provenance.of("test", null, 3L));
    }
    BuildConfig cfg = BuildConfig.builder().target(100)
        .filters(FilterConfig.builder().rewardModel(rm.toString()).rewardMargin(-1.0).build()).build();
    BuildResult r = DatasetBuilder.build(cfg, options(tmp.resolve("out"), false, null));
    assertThat(r.drops().get("reward_margin")).isZero(); // margin −1 keeps everything
    JsonNode proxy = new ObjectMapper().readTree(tmp.resolve("out/stats.json").toFile()).path("reward_proxy");
    assertThat(proxy.path("weights_sha256").asText()).isEqualTo(RewardModel.weightsSha256(rm));
    assertThat(proxy.path("pairs_judged").asInt()).isPositive();

    BuildConfig notAModel = BuildConfig.builder().target(100)
        .filters(FilterConfig.builder().rewardModel(tmp.resolve("base").toString()).build()).build();
    assertThatThrownBy(() -> DatasetBuilder.build(notAModel, options(tmp.resolve("bad"), false, null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a reward model folder");
  }

  @Test
  void theHeuristicBuildReportsItsProxy() throws Exception {
    DatasetBuilder.build(BuildConfig.builder().target(100).build(), options(tmp.resolve("h"), false, null));
    JsonNode proxy = new ObjectMapper().readTree(tmp.resolve("h/stats.json").toFile()).path("reward_proxy");
    assertThat(proxy.path("name").asText()).isEqualTo("heuristic");
    assertThat(Files.readString(tmp.resolve("h/README.md"))).contains("- name: `heuristic`");
  }
}

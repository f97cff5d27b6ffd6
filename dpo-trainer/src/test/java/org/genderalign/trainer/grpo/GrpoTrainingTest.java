package org.genderalign.trainer.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.genderalign.core.data.PromptExample;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.lora.LoraConfig;
import org.genderalign.trainer.optim.AdamWConfig;
import org.genderalign.trainer.reward.RewardFunction;
import org.genderalign.trainer.training.TrainingConfig;
import org.genderalign.trainer.training.TrainingLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GRPO end to end on stories260K: with a reward that counts sentence ends, the mean reward of the last steps is
 * above the first steps'; TRL's metrics are logged; the completions of a step follow from the seed
 * alone.
 */
class GrpoTrainingTest {

  @TempDir Path tmp;

  static final List<PromptExample> PROMPTS = List.of(PromptExample.of("p0", "Once upon a time"),
      PromptExample.of("p1", "Tom had a red ball."), PromptExample.of("p2", "The cat sat"),
      PromptExample.of("p3", "Lily went to the park"));

  static GrpoRunConfig config(Path out, long steps, int iterations, double beta, boolean resume) {
    TrainingConfig tc = new TrainingConfig(steps, 0, 2, 1, AdamWConfig.of(3e-2, 0), "constant", 0, 1.0, 7, 1, 0,
        iterations * 2L, 3, false);
    return new GrpoRunConfig(new GrpoLossConfig(beta, 0.2, null, "dapo", 16), tc,
        new LoraConfig(8, 16, 0, LoraConfig.DEFAULT_TARGETS), 6, iterations, "group", 1.0f, 1.0f, 0, 64, 64, "raw",
        out, resume);
  }

  /** A reward the policy can move within a few steps: the number of sentence ends in the completion. */
  static final class SentenceEnds implements RewardFunction {
    @Override
    public String name() {
      return "sentence_ends";
    }

    @Override
    public float[] rewards(List<String> prompts, List<String> completions) {
      float[] r = new float[completions.size()];
      for (int i = 0; i < r.length; i++) {
        r[i] = completions.get(i).chars().filter(c -> c == '.' || c == '!' || c == '?').count();
      }
      return r;
    }
  }

  static WeightedRewards sentenceEnds() {
    return new WeightedRewards(List.<RewardFunction>of(new SentenceEnds()), null);
  }

  @Test
  void meanRewardRisesAndTrlMetricsAreLogged() throws Exception {
    GrpoRunConfig cfg = config(tmp.resolve("run"), 8, 1, 0.0, false);
    GrpoTrainer.Report r = GrpoTrainer.run(cfg, List.of(),
        () -> ModelLoader.load(ModelLoader.STORIES_260K, DataRoot.fromEnvironment(), Device.cpu()), PROMPTS,
        sentenceEnds(), Provenance.of("test", null, 7L), null);
    List<Map<String, Object>> h = r.result().history();
    assertThat(h).hasSize(8);
    assertThat(h.get(0)).containsKeys("loss", "reward", "reward_std", "rewards/sentence_ends/mean",
        "frac_reward_zero_std", "completions/mean_length", "completions/clipped_ratio", "clip_ratio/region_mean",
        "grad_norm").doesNotContainKey("kl");
    List<Double> rewards = new ArrayList<>();
    h.forEach(rec -> rewards.add(((Number) rec.get("reward")).doubleValue()));
    double first = (rewards.get(0) + rewards.get(1)) / 2;
    double last = (rewards.get(6) + rewards.get(7)) / 2;
    System.out.println("GRPO reward curve (sentence ends): " + rewards);
    assertThat(last).as("reward curve %s", rewards).isGreaterThan(first + 0.3);
    assertThat(r.generations()).hasSize(8);
    assertThat(r.generations().get(0).completions()).isEqualTo(2 * 6);
    r.generations().forEach(gs -> System.out.printf("step %d: %d tokens generated in %.2f s, scored in %.2f s%n",
        gs.step(), gs.generatedTokens(), gs.generateSeconds(), gs.scoreSeconds()));
    System.out.println("elapsed " + r.result().elapsedSeconds());
    assertThat(Files.exists(cfg.outDir().resolve(TrainingLoop.FINAL_DIR))).isTrue();
  }

  @Test
  void checkpointsMustFallOnGenerationBoundaries() {
    TrainingConfig tc = new TrainingConfig(4, 0, 2, 1, AdamWConfig.of(1e-3, 0), "constant", 0, 1.0, 7, 1, 0, 3, 3,
        false);
    assertThatThrownBy(() -> new GrpoRunConfig(new GrpoLossConfig(0, 0.2, null, "dapo", 8), tc, null, 4, 2, "group",
        1f, 1f, 0, 8, 8, "raw", tmp, false)).hasMessageContaining("multiple of num iterations");
    assertThatThrownBy(() -> new GrpoRunConfig(new GrpoLossConfig(0, 0.2, null, "dapo", 8), tc, null, 1, 1, "group",
        1f, 1f, 0, 8, 8, "raw", tmp, false)).hasMessageContaining("num generations must be >= 2");
    assertThatThrownBy(() -> new GrpoLossConfig(0, 0.2, null, "ppo", 8)).hasMessageContaining("unknown loss type");
  }
}

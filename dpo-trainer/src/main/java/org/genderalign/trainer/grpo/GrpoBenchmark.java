package org.genderalign.trainer.grpo;

import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.core.data.PromptExample;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.dpo.DpoTrainer;
import org.genderalign.trainer.lora.LoraConfig;
import org.genderalign.trainer.optim.AdamWConfig;
import org.genderalign.trainer.reward.RewardFunction;
import org.genderalign.trainer.training.StepListener;
import org.genderalign.trainer.training.TrainingConfig;

/**
 * {@code bench grpo}: a short GRPO run on fixed story prompts (the length penalty as its reward,
 * which costs nothing) timing, per step, the sampling of the step's completions and the training
 * on them (policy forward and backward, from the end of sampling and scoring to the optimizer
 * update).
 */
public final class GrpoBenchmark {

  /** Story openings: the prompts of every step. */
  static final List<String> PROMPTS = List.of("Once upon a time", "Tom had a red ball.", "The cat sat on the mat.",
      "Lily went to the park", "One day, a little bird", "Sam and his mom", "There was a big tree",
      "The sun was hot");

  /**
   * One step's figures.
   *
   * @param generatedTokens completion tokens sampled (0 on a step that reuses a generation)
   * @param trainedTokens prompt + completion tokens through forward and backward
   */
  public record Step(long step, long generatedTokens, double generateSeconds, long trainedTokens, double trainSeconds) {
    public double generatedTokensPerSecond() {
      return generateSeconds > 0 ? generatedTokens / generateSeconds : 0;
    }

    public double trainedTokensPerSecond() {
      return trainSeconds > 0 ? trainedTokens / trainSeconds : 0;
    }
  }

  private GrpoBenchmark() {}

  /**
   * @param prompts prompts per step (cycled from {@link #PROMPTS})
   * @param generations G
   * @param maxNewTokens completion budget
   * @param steps optimizer steps
   * @param lora whether to train LoRA adapters (rank 8) instead of every weight
   * @param work the run's folder
   */
  public static List<Step> run(DpoTrainer.ModelSupplier models, int prompts, int generations, int maxNewTokens,
      int steps, boolean lora, Path work) throws IOException {
    List<PromptExample> data = new ArrayList<>();
    for (int i = 0; i < prompts; i++) {
      data.add(PromptExample.of("p" + i, PROMPTS.get(i % PROMPTS.size())));
    }
    TrainingConfig tc = new TrainingConfig(steps, 0, prompts, 1, AdamWConfig.of(1e-5, 0), "constant", 0, 1.0, 1, 1, 0,
        0, 1, false);
    GrpoRunConfig cfg = new GrpoRunConfig(new GrpoLossConfig(0, 0.2, null, "dapo", maxNewTokens), tc,
        lora ? new LoraConfig(8, 16, 0, LoraConfig.DEFAULT_TARGETS) : null, generations, 1, "group", 1f, 1f, 0,
        Math.max(1, prompts * generations), 256, "raw", work, false);
    Map<Long, Long> updateAt = new HashMap<>();
    Map<Long, Long> tokensAt = new HashMap<>();
    StepListener l = new StepListener() {
      @Override
      public void beforeUpdate(long step, Map<String, Parameter> params) {
        updateAt.put(step, System.nanoTime());
      }

      @Override
      public void logged(Map<String, Object> record) {
        if (record.get("tokens") instanceof Number n && record.get("step") instanceof Number s) {
          tokensAt.put(s.longValue(), n.longValue());
        }
      }
    };
    GrpoTrainer.Report r = GrpoTrainer.run(cfg, List.of(), models, data,
        new WeightedRewards(List.<RewardFunction>of(SoftOverlongPunishment.of(maxNewTokens)), null),
        Provenance.of("bench grpo", null, 1L), l);
    List<Step> out = new ArrayList<>();
    for (GrpoTask.GenerationStats g : r.generations()) {
      long done = g.step() + 1;
      long trained = tokensAt.getOrDefault(done, 0L) - tokensAt.getOrDefault(g.step(), 0L);
      double train = (updateAt.getOrDefault(done, g.endNanos()) - g.endNanos()) / 1e9;
      out.add(new Step(done, g.generatedTokens(), g.generateSeconds(), trained, train));
    }
    return out;
  }
}

package org.genderalign.trainer.grpo;

import java.nio.file.Path;
import java.util.List;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.lora.LoraConfig;
import org.genderalign.trainer.optim.AdamWConfig;
import org.genderalign.trainer.reward.RewardFunction;
import org.genderalign.trainer.training.ChildJvm;
import org.genderalign.trainer.training.StepListener;
import org.genderalign.trainer.training.TinyModels;
import org.genderalign.trainer.training.TrainingConfig;

/**
 * The child JVM of {@link GrpoKillAndResumeTest}: a small GRPO run on a tiny random model with
 * every source of state a resume must restore — LoRA with dropout, β ≠ 0 (reference = adapters
 * off), two iterations per generation (old-policy log-probs), gradient accumulation, two weighted
 * reward functions, a checkpoint every 2 steps — that prints {@code CHECKPOINT n} after each
 * checkpoint and works a little slower than it could, so that the parent's SIGKILL lands mid-run.
 */
public final class GrpoResumeChild {

  static final long STEPS = 8;

  private GrpoResumeChild() {}

  public static void main(String[] args) throws Exception {
    run(Path.of(args[0]), Boolean.parseBoolean(args[1]), true);
  }

  static GrpoTrainer.Report run(Path out, boolean resume, boolean announce) throws Exception {
    StepListener l = ChildJvm.announcer(announce);
    TrainingConfig tc = new TrainingConfig(STEPS, 0, 1, 2, AdamWConfig.of(1e-2, 0.01), "linear", 1, 1.0, 11, 1, 0, 2,
        3, false);
    GrpoRunConfig cfg = new GrpoRunConfig(new GrpoLossConfig(0.05, 0.2, 0.28, "dapo", 8), tc,
        new LoraConfig(4, 8, 0.1, LoraConfig.DEFAULT_TARGETS), 4, 2, "group", 1.0f, 0.95f, 0, 16, 16, "raw", out,
        resume);
    WeightedRewards rewards = new WeightedRewards(
        List.<RewardFunction>of(new GrpoTrainingTest.SentenceEnds(), new SoftOverlongPunishment(8, 4)),
        new double[] {1.0, 0.5});
    return GrpoTrainer.run(cfg, List.of(), () -> TinyModels.tiny(3), GrpoTrainingTest.PROMPTS, rewards,
        Provenance.of("test", null, 11L), l);
  }
}

package org.genderalign.trainer.reward;

import java.nio.file.Path;
import java.util.List;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.dpo.DpoFixtures;
import org.genderalign.trainer.lora.LoraConfig;
import org.genderalign.trainer.optim.AdamWConfig;
import org.genderalign.trainer.training.ChildJvm;
import org.genderalign.trainer.training.StepListener;
import org.genderalign.trainer.training.TinyModels;
import org.genderalign.trainer.training.TrainingConfig;

/**
 * The child JVM of {@link RewardKillAndResumeTest}: a small LoRA reward run (dropout on,
 * accumulation 2, warmup, reward centring, checkpoint every 2 steps) that prints
 * {@code CHECKPOINT n} after each checkpoint and works a little slower than it could, so that
 * the parent's SIGKILL lands mid-run.
 */
public final class RewardResumeChild {

  static final long STEPS = 10;

  private RewardResumeChild() {}

  public static void main(String[] args) throws Exception {
    run(Path.of(args[0]), Boolean.parseBoolean(args[1]), true);
  }

  static RewardTrainer.Report run(Path out, boolean resume, boolean announce) throws Exception {
    StepListener l = ChildJvm.announcer(announce);
    TrainingConfig tc = new TrainingConfig(STEPS, 0, 2, 2, AdamWConfig.of(5e-3, 0.01), "linear", 1, 1.0, 5, 1, 0, 2, 3,
        false);
    RewardRunConfig cfg = new RewardRunConfig(tc, new LoraConfig(4, 8, 0.1, LoraConfig.DEFAULT_TARGETS), 64, false, "raw",
        0.01, null, out, resume);
    return RewardTrainer.run(cfg, () -> RewardModel.withFreshHead(TinyModels.tiny(3), 5, 2), DpoFixtures.pairs(8),
        List.of(), Provenance.of("test", null, 5L), l);
  }
}

package org.genderalign.trainer.training;

import ai.djl.nn.Parameter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.dpo.DpoFixtures;
import org.genderalign.trainer.dpo.DpoTrainer;

/**
 * The child JVM of {@link KillAndResumeTest}: a small LoRA DPO run (dropout on, checkpoint every
 * 2 steps) that prints {@code CHECKPOINT n} after each checkpoint and works a little slower than
 * it could, so that the parent's SIGKILL lands mid-run. Mode {@code dpo}: plain sigmoid DPO;
 * {@code mixture}: MPO with the running BCO baseline and LD-DPO
 * ({@link DpoFixtures#statefulMixture()}).
 */
public final class ResumeChild {

  static final long STEPS = 10;
  static final long SAVE_STEPS = 2;

  private ResumeChild() {}

  public static void main(String[] args) throws Exception {
    run(Path.of(args[0]), Boolean.parseBoolean(args[1]), true, args.length > 2 ? args[2] : "dpo");
  }

  static DpoTrainer.Report run(Path out, boolean resume, boolean announce, String mode) throws Exception {
    StepListener l = new StepListener() {
      @Override
      public void checkpointSaved(long step, Path folder) {
        if (announce) {
          System.out.println("CHECKPOINT " + step);
          System.out.flush();
        }
      }

      @Override
      public void beforeUpdate(long step, Map<String, Parameter> params) {
        if (announce) {
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    };
    var loss = mode.equals("mixture") ? DpoFixtures.statefulMixture()
        : org.genderalign.trainer.dpo.loss.PreferenceLossConfig.defaults();
    return DpoTrainer.run(DpoFixtures.run(out, DpoFixtures.training(STEPS, SAVE_STEPS), DpoFixtures.lora(), false,
        null, resume, loss), () -> TinyModels.tiny(3), DpoFixtures.pairs(8), List.of(), Provenance.of("test", null, 5L),
        l);
  }
}

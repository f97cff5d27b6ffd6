package org.genderalign.trainer.grpo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.genderalign.trainer.training.ChildJvm;
import org.genderalign.trainer.training.TrainingLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GRPO run killed with SIGKILL after its 2nd checkpoint and resumed samples the same completions
 * and ends with a model byte-identical to an uninterrupted run's, with the same metrics lines.
 */
class GrpoKillAndResumeTest {

  @TempDir Path tmp;

  @Test
  void killedAndResumedRunEndsBitIdenticalToAnUninterruptedOne() throws Exception {
    Path straight = tmp.resolve("straight");
    GrpoResumeChild.run(straight, false, false);

    Path killed = tmp.resolve("killed");
    ChildJvm.runUntil(GrpoResumeChild.class, List.of(killed.toString(), "false"), "CHECKPOINT 4");
    assertThat(Files.exists(killed.resolve(TrainingLoop.FINAL_DIR))).isFalse();

    GrpoTrainer.Report resumed = GrpoResumeChild.run(killed, true, false);
    assertThat(resumed.result().resumedFrom()).isGreaterThanOrEqualTo(4).isLessThan(GrpoResumeChild.STEPS);
    assertThat(Files.readAllBytes(killed.resolve("final/model.safetensors")))
        .isEqualTo(Files.readAllBytes(straight.resolve("final/model.safetensors")));
    List<String> m1 = Files.readAllLines(straight.resolve(TrainingLoop.METRICS_FILE));
    List<String> m2 = Files.readAllLines(killed.resolve(TrainingLoop.METRICS_FILE));
    assertThat(m2).hasSize(m1.size()).hasSize((int) GrpoResumeChild.STEPS);
    for (int i = 0; i < m1.size(); i++) {
      assertThat(strip(m2.get(i))).isEqualTo(strip(m1.get(i)));
    }
    // the run did learn something and logged the KL to the reference
    assertThat(m1.get(m1.size() - 1)).contains("\"kl\"");
  }

  static String strip(String line) {
    return line.replaceAll(",\"elapsed_s\":[^,}]*", "");
  }
}

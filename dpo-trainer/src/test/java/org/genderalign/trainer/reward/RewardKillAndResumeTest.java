package org.genderalign.trainer.reward;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.genderalign.trainer.training.ChildJvm;
import org.genderalign.trainer.training.TrainingLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reward run killed with SIGKILL after its 2nd checkpoint and resumed ends with a reward model
 * byte-identical to an uninterrupted run's, and the same metrics lines.
 */
class RewardKillAndResumeTest {

  @TempDir Path tmp;

  @Test
  void killedAndResumedRunEndsBitIdenticalToAnUninterruptedOne() throws Exception {
    Path straight = tmp.resolve("straight");
    RewardResumeChild.run(straight, false, false);

    Path killed = tmp.resolve("killed");
    ChildJvm.runUntil(RewardResumeChild.class, List.of(killed.toString(), "false"), "CHECKPOINT 4");
    assertThat(Files.exists(killed.resolve(TrainingLoop.FINAL_DIR))).isFalse();

    RewardTrainer.Report resumed = RewardResumeChild.run(killed, true, false);
    assertThat(resumed.result().resumedFrom()).isGreaterThanOrEqualTo(4).isLessThan(RewardResumeChild.STEPS);
    assertThat(Files.readAllBytes(killed.resolve("final/model.safetensors")))
        .isEqualTo(Files.readAllBytes(straight.resolve("final/model.safetensors")));
    List<String> m1 = Files.readAllLines(straight.resolve(TrainingLoop.METRICS_FILE));
    List<String> m2 = Files.readAllLines(killed.resolve(TrainingLoop.METRICS_FILE));
    assertThat(m2).hasSize(m1.size()).hasSize((int) RewardResumeChild.STEPS);
    for (int i = 0; i < m1.size(); i++) {
      assertThat(strip(m2.get(i))).isEqualTo(strip(m1.get(i)));
    }
  }

  static String strip(String line) {
    return line.replaceAll(",\"elapsed_s\":[^,}]*", "");
  }
}

package org.genderalign.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM in the middle of training: the run finishes its step, saves a checkpoint there, unwinds
 * and exits with 143 — no JVM crash and no {@code hs_err_pid*.log} (exiting while libtorch is in
 * a backward pass used to crash the process) — and a resume from that checkpoint ends
 * bit-identical to an uninterrupted run.
 */
class SigtermStopTest {

  @TempDir Path tmp;

  @Test
  void sigtermStopsAtAStepBoundaryWithACheckpointAndNoCrash() throws Exception {
    Path straight = tmp.resolve("straight");
    ResumeChild.run(straight, false, false, "dpo");

    Path stopped = tmp.resolve("stopped");
    Path workDir = Files.createDirectories(tmp.resolve("wd"));
    ChildJvm.Ended ended = ChildJvm.terminateAt(StopChild.class, List.of(stopped.toString()),
        workDir, "CHECKPOINT 2");
    List<String> output = ended.output();
    assertThat(ended.exitValue()).as("child output: %s", output).isEqualTo(143);
    String stop = output.stream().filter(l -> l.startsWith("STOPPED ")).findFirst().orElse("");
    Matcher m = Pattern.compile("stopped at step (\\d+) of 10 on a termination signal; "
        + "checkpoint saved, continue with --resume").matcher(stop);
    assertThat(m.find()).as("child output: %s", output).isTrue();
    long step = Long.parseLong(m.group(1));
    assertThat(step).isBetween(2L, 9L);
    assertThat(stopped.resolve(String.format("checkpoints/checkpoint-%08d", step))).isDirectory();
    assertThat(Files.exists(stopped.resolve("final"))).isFalse();
    try (Stream<Path> files = Files.list(workDir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith("hs_err"));
    }

    var resumed = ResumeChild.run(stopped, true, false, "dpo");
    assertThat(resumed.result().resumedFrom()).isEqualTo(step);
    assertThat(Files.readAllBytes(stopped.resolve("final/" + PolicyModel.ADAPTER_DIR
        + "/adapter.tensors"))).isEqualTo(Files.readAllBytes(straight.resolve("final/"
        + PolicyModel.ADAPTER_DIR + "/adapter.tensors")));
  }
}

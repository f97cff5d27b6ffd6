package org.genderalign.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    for (String p : List.of("DJL_CACHE_DIR", "ai.djl.offline", "ai.djl.pytorch.num_threads",
        "ai.djl.pytorch.num_interop_threads", "genderalign.data.root.fallback",
        "genderalign.project.root")) {
      if (System.getProperty(p) != null) {
        cmd.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(StopChild.class.getName());
    cmd.add(stopped.toString());
    Process child = new ProcessBuilder(cmd).directory(workDir.toFile())
        .redirectErrorStream(true).start();
    List<String> output = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        output.add(line);
        if (line.equals("CHECKPOINT 2")) {
          child.toHandle().destroy(); // SIGTERM (Process.destroy would also close our pipe)
        }
      }
    }
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as("child output: %s", output).isEqualTo(143);
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

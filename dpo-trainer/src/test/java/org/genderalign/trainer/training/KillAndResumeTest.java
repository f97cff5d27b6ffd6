package org.genderalign.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelCheckpoint;
import org.genderalign.trainer.training.PolicyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL after its 2nd checkpoint and resumed with {@code resume = true}
 * ends with weights bit-identical to an uninterrupted run (LoRA dropout on, gradient
 * accumulation 2, linear schedule with warmup) — for plain DPO, and for a loss mixture (MPO)
 * with a stateful option (bco_pair's running baseline, which the checkpoint must carry) and
 * LD-DPO.
 */
class KillAndResumeTest {

  @TempDir Path tmp;

  @Test
  void killedAndResumedRunEndsBitIdenticalToAnUninterruptedOne() throws Exception {
    killAndResume("dpo");
  }

  @Test
  void aLossMixtureWithARunningBaselineResumesBitIdentically() throws Exception {
    killAndResume("mixture");
    // the baseline is in the checkpoint, and it has moved from its start
    Path state = tmp.resolve("mixture-killed/checkpoints/checkpoint-00000004/" + TrainingLoop.STATE_FILE);
    java.util.Map<?, ?> st = new com.fasterxml.jackson.databind.ObjectMapper().readValue(state.toFile(),
        java.util.Map.class);
    java.util.Map<?, ?> bco = (java.util.Map<?, ?>) ((java.util.Map<?, ?>) st.get("taskState")).get("bco_pair");
    assertThat(((Number) bco.get("count")).doubleValue()).isEqualTo(8.0, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(((Number) bco.get("mean")).doubleValue()).isNotEqualTo(0.0);
  }

  private void killAndResume(String mode) throws Exception {
    Path straight = tmp.resolve(mode + "-straight");
    ResumeChild.run(straight, false, false, mode);

    Path killed = tmp.resolve(mode + "-killed");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    for (String p : List.of("DJL_CACHE_DIR", "ai.djl.offline", "ai.djl.pytorch.num_threads",
        "ai.djl.pytorch.num_interop_threads", "genderalign.data.root.fallback", "genderalign.project.root")) {
      if (System.getProperty(p) != null) {
        cmd.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ResumeChild.class.getName());
    cmd.add(killed.toString());
    cmd.add("false");
    cmd.add(mode);
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> output = new ArrayList<>();
    boolean sawSecond = false;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        output.add(line);
        if (line.equals("CHECKPOINT 4")) {
          sawSecond = true;
          child.destroyForcibly(); // SIGKILL
          break;
        }
      }
    }
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(sawSecond).as("child output: %s", output).isTrue();
    assertThat(child.exitValue()).isNotZero();
    assertThat(Files.exists(killed.resolve("final"))).isFalse();

    DpoTrainerReport resumed = new DpoTrainerReport(ResumeChild.run(killed, true, false, mode));
    assertThat(resumed.resumedFrom()).isGreaterThanOrEqualTo(4).isLessThan(ResumeChild.STEPS);

    // the adapters alone, byte for byte
    assertThat(Files.readAllBytes(killed.resolve("final/" + PolicyModel.ADAPTER_DIR + "/adapter.tensors")))
        .isEqualTo(Files.readAllBytes(straight.resolve("final/" + PolicyModel.ADAPTER_DIR + "/adapter.tensors")));
    // and the merged model, tensor by tensor
    try (LoadedModel a = ModelCheckpoint.load(straight.resolve("final"), Device.cpu(), DataType.FLOAT32);
        LoadedModel b = ModelCheckpoint.load(killed.resolve("final"), Device.cpu(), DataType.FLOAT32)) {
      var pa = a.block().namedParameters();
      var pb = b.block().namedParameters();
      for (String k : pa.keySet()) {
        assertThat(pb.get(k).getArray().toByteArray()).as(k).isEqualTo(pa.get(k).getArray().toByteArray());
      }
    }
    // every step logged exactly once, and the same values as the uninterrupted run
    List<String> m1 = Files.readAllLines(straight.resolve(TrainingLoop.METRICS_FILE));
    List<String> m2 = Files.readAllLines(killed.resolve(TrainingLoop.METRICS_FILE));
    assertThat(m2).hasSize(m1.size());
    for (int i = 0; i < m1.size(); i++) {
      assertThat(strip(m2.get(i))).isEqualTo(strip(m1.get(i)));
    }
  }

  /** A metrics line without its timing fields. */
  static String strip(String line) {
    return line.replaceAll(",\"elapsed_s\":[^,}]*", "");
  }

  record DpoTrainerReport(long resumedFrom) {
    DpoTrainerReport(org.genderalign.trainer.dpo.DpoTrainer.Report r) {
      this(r.result().resumedFrom());
    }
  }
}

package org.genderalign.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    ChildJvm.Ended ended = ChildJvm.killAt(ResumeChild.class,
        List.of(killed.toString(), "false", mode), "CHECKPOINT 4");
    List<String> output = ended.output();
    boolean sawSecond = output.contains("CHECKPOINT 4");
    assertThat(sawSecond).as("child output: %s", output).isTrue();
    assertThat(ended.exitValue()).isNotZero();
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

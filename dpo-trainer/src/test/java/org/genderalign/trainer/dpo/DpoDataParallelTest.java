package org.genderalign.trainer.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelCheckpoint;
import org.genderalign.trainer.lora.LoraConfig;
import org.genderalign.trainer.training.StepListener;
import org.genderalign.trainer.training.TinyModels;
import org.genderalign.trainer.training.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DPO data parallel on a real (tiny, random) Llama: two replicas on one CPU stand in for two
 * GPUs. Against one device the run differs only by float summation order; two runs on the same
 * device list are bit-identical, dropout included.
 */
class DpoDataParallelTest {

  @TempDir Path tmp;

  static final Provenance PROV = Provenance.of("test", null, 5L);
  static final List<Device> TWO = List.of(Device.cpu(), Device.cpu());
  static final int[] PROBE = {1, 400, 300, 200, 100, 50, 260, 270};

  @Test
  void fullFineTuningWithAFrozenReferenceMatchesOneDevice() throws Exception {
    TrainingConfig t = DpoFixtures.training(4, 0); // batch 2 (one pair per replica) x accumulation 2
    DpoTrainer.Report one = run("one", t, null, List.of());
    DpoTrainer.Report two = run("two", t, null, TWO);
    assertSameRun(one, two, 1e-5);
    assertThat(maxDiff(logits("one"), logits("two"))).isLessThan(1e-4f);
  }

  @Test
  void loraWithAdaptersOffReferenceMatchesOneDeviceWithUnevenShards() throws Exception {
    TrainingConfig t = new TrainingConfig(4, 0, 3, 1, org.genderalign.trainer.optim.AdamWConfig.of(5e-3, 0.0),
        "linear", 1, 1.0, 5, 1, 0, 0, 3, false); // batch 3 over 2 replicas: shards of 2 and 1
    LoraConfig noDropout = new LoraConfig(4, 8, 0.0, LoraConfig.DEFAULT_TARGETS);
    DpoTrainer.Report one = run("lora1", t, noDropout, List.of());
    DpoTrainer.Report two = run("lora2", t, noDropout, TWO);
    assertSameRun(one, two, 1e-5);
    assertThat(((Number) two.result().firstTrainRecord().get("loss")).doubleValue()).isCloseTo(Math.log(2),
        within(1e-7));
    assertThat(maxDiff(logits("lora1"), logits("lora2"))).isLessThan(1e-4f);
  }

  @Test
  void twoRunsOnTheSameDevicesAreBitIdenticalWithDropout() throws Exception {
    TrainingConfig t = DpoFixtures.training(3, 0);
    run("a", t, DpoFixtures.lora(), TWO); // LoRA dropout 0.1
    run("b", t, DpoFixtures.lora(), TWO);
    assertThat(logits("b")).containsExactly(logits("a"));
  }

  /**
   * A data-parallel run stopped after its step-2 checkpoint and resumed ends bit-identical to an
   * uninterrupted one: replicas are rebuilt from the restored weights (SIGKILL itself is
   * proven by KillAndResumeTest; here the crash is an exception in the loop).
   */
  @Test
  void anInterruptedDataParallelRunResumesBitIdentically() throws Exception {
    TrainingConfig t = DpoFixtures.training(4, 2);
    run("straight", t, DpoFixtures.lora(), TWO);
    Path out = tmp.resolve("crashed");
    StepListener crash = new StepListener() {
      @Override
      public void beforeUpdate(long step, Map<String, Parameter> params) {
        if (step == 3) {
          throw new IllegalStateException("simulated crash");
        }
      }
    };
    assertThatThrownBy(() -> DpoTrainer.run(DpoFixtures.run(out, t, DpoFixtures.lora(), false, null, false), TWO,
        () -> TinyModels.tiny(3), DpoFixtures.pairs(8), DpoFixtures.pairs(2), PROV, crash))
        .hasMessageContaining("simulated crash");
    DpoTrainer.Report resumed = DpoTrainer.run(DpoFixtures.run(out, t, DpoFixtures.lora(), false, null, true), TWO,
        () -> TinyModels.tiny(3), DpoFixtures.pairs(8), DpoFixtures.pairs(2), PROV, null);
    assertThat(resumed.result().resumedFrom()).isEqualTo(2);
    assertThat(logits("crashed")).containsExactly(logits("straight"));
  }

  private DpoTrainer.Report run(String name, TrainingConfig t, LoraConfig lora, List<Device> devices)
      throws Exception {
    return DpoTrainer.run(DpoFixtures.run(tmp.resolve(name), t, lora, false, null, false), devices,
        () -> TinyModels.tiny(3), DpoFixtures.pairs(8), DpoFixtures.pairs(2), PROV, null);
  }

  private static void assertSameRun(DpoTrainer.Report a, DpoTrainer.Report b, double tol) {
    List<Map<String, Object>> ha = a.result().history();
    List<Map<String, Object>> hb = b.result().history();
    assertThat(hb).hasSameSizeAs(ha);
    for (int i = 0; i < ha.size(); i++) {
      for (String k : List.of("loss", "rewards/margins", "grad_norm", "eval_loss")) {
        if (ha.get(i).containsKey(k)) {
          assertThat(((Number) hb.get(i).get(k)).doubleValue()).as("record %d %s", i, k)
              .isCloseTo(((Number) ha.get(i).get(k)).doubleValue(), within(tol));
        }
      }
      assertThat(hb.get(i).get("tokens")).isEqualTo(ha.get(i).get("tokens"));
    }
  }

  private float[] logits(String run) throws Exception {
    try (LoadedModel m = ModelCheckpoint.load(tmp.resolve(run).resolve("final"), Device.cpu(), DataType.FLOAT32);
        NDManager sm = m.manager().newSubManager()) {
      return m.block().logits(sm.create(PROBE).reshape(1, PROBE.length)).toFloatArray();
    }
  }

  private static float maxDiff(float[] a, float[] b) {
    float d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }
}

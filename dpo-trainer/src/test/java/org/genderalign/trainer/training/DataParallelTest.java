package org.genderalign.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.optim.AdamWConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data parallel mechanics on a loss whose gradient is known exactly: loss = Σ w·x over the
 * step's examples, so ∂(mean loss)/∂w = mean x. Two replicas on one CPU stand in for two GPUs
 * (DataParallel allows a device twice for exactly this).
 */
class DataParallelTest {

  @TempDir Path tmp;

  @Test
  void shardsAreContiguousAndBalanced() {
    try (NDManager m = NDManager.newBaseManager();
        DataParallel dp = new DataParallel(List.of(Device.cpu(), Device.cpu(), Device.cpu()), m)) {
      assertThat(dp.shard(List.of(1, 2, 3, 4, 5, 6, 7))).containsExactly(List.of(1, 2, 3), List.of(4, 5), List.of(6, 7));
      assertThat(dp.shard(List.of(1, 2))).containsExactly(List.of(1), List.of(2)); // third replica idle
      assertThat(dp.shard(List.of(1, 2, 3))).containsExactly(List.of(1), List.of(2), List.of(3));
    }
  }

  /**
   * Batch 4 over 3 replicas (shards of 2, 1 and 1) with 2 accumulation steps: the gradient the
   * optimizer sees is exactly the mean of the step's 8 examples, and every step's weights equal
   * the single-device run's (multiples of 1/8 are exact in float32, so summation order cannot
   * matter), which also proves the replicas were refreshed after every update.
   */
  @Test
  void gradientsAreSummedAcrossReplicasAndReplicasFollowTheMaster() throws Exception {
    List<double[]> data = new ArrayList<>();
    for (int i = 1; i <= 16; i++) {
      data.add(new double[] {i});
    }
    TrainingConfig cfg = new TrainingConfig(6, 0, 4, 2, AdamWConfig.of(1e-2, 0), "constant", 0, 0, 7, 1, 0, 0, 1,
        false);
    Trace one = train(data, cfg, List.of(), tmp.resolve("one"));
    Trace two = train(data, cfg, List.of(Device.cpu(), Device.cpu(), Device.cpu()), tmp.resolve("three"));

    assertThat(one.grads).hasSize(6);
    for (int s = 0; s < 6; s++) {
      assertThat(two.grads.get(s)).as("step %d gradient", s + 1).isEqualTo(one.grads.get(s));
      assertThat(two.weights.get(s)).as("step %d weight", s + 1).isEqualTo(one.weights.get(s));
    }
    // the gradient is the mean of the step's examples (a permutation of 1..16 covers 2 steps)
    assertThat(one.grads.get(0) + one.grads.get(1)).isEqualTo(136 / 8f);
  }

  @Test
  void moreReplicasThanExamplesLeavesTheExtraReplicasIdle() throws Exception {
    List<double[]> data = List.of(new double[] {1}, new double[] {2}, new double[] {3}, new double[] {4});
    TrainingConfig cfg = new TrainingConfig(4, 0, 1, 1, AdamWConfig.of(1e-2, 0), "constant", 0, 0, 3, 1, 0, 0, 1,
        false);
    Trace one = train(data, cfg, List.of(), tmp.resolve("a"));
    Trace three = train(data, cfg, List.of(Device.cpu(), Device.cpu(), Device.cpu()), tmp.resolve("b"));
    assertThat(three.grads).isEqualTo(one.grads);
    assertThat(three.weights).isEqualTo(one.weights);
  }

  record Trace(List<Float> grads, List<Float> weights) {}

  private static Trace train(List<double[]> data, TrainingConfig cfg, List<Device> devices, Path out)
      throws Exception {
    List<Float> grads = new ArrayList<>();
    List<Float> weights = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager()) {
      NanGuardTest.ToyTask task = new NanGuardTest.ToyTask(m);
      TrainingLoop<double[]> loop = new TrainingLoop<>(task, cfg, m, out, Provenance.of("t", null, 1L))
          .devices(devices)
          .listener(new StepListener() {
            @Override
            public void beforeUpdate(long step, Map<String, Parameter> params) {
              grads.add(params.get("w").getArray().getGradient().getFloat());
              if (step > 1) {
                weights.add(params.get("w").getArray().getFloat());
              }
            }
          });
      loop.run(data, List.of(), "d", false);
      weights.add(task.w.getArray().getFloat());
    }
    return new Trace(grads, weights);
  }
}

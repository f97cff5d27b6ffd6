package org.genderalign.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.checkpoint.CheckpointManager;
import org.genderalign.trainer.dpo.loss.Numerics;
import org.genderalign.trainer.optim.AdamWConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop stops on a non-finite loss, names the step and examples, and keeps the last good checkpoint. */
class NanGuardTest {

  @TempDir Path tmp;

  /** Loss = sum over the batch of w·x (x = the example), or NaN once the example "bad" is reached. */
  static final class ToyTask implements TrainingTask<double[]> {
    final Parameter w;

    ToyTask(NDManager m) {
      w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
      NDArray a = m.ones(new ai.djl.ndarray.types.Shape(1));
      a.setRequiresGradient(true);
      w.setArray(a);
    }

    @Override public String name() { return "toy"; }
    @Override public Map<String, Parameter> trainableParameters() { return Map.of("w", w); }
    @Override public String id(double[] e) { return Double.isNaN(e[0]) ? "bad" : "x" + (int) e[0]; }
    @Override public double units(double[] e) { return 1; }
    @Override public List<String> metricNames() { return List.of("loss"); }
    @Override public void saveFinal(Path dir) {}

    @Override
    public MicroBatchResult forward(ai.djl.training.ParameterStore weights, NDManager step, List<double[]> batch,
        boolean training, Object prepared) {
      NDArray wv = weights.getValue(w, step.getDevice(), training);
      NDArray loss = null;
      for (double[] e : batch) {
        NDArray x = Numerics.scalar(wv, e[0]);
        NDArray term = wv.mul(x).sum();
        loss = loss == null ? term : loss.add(term);
      }
      return new MicroBatchResult(loss, Map.of("loss", (double) loss.getFloat()), batch.size());
    }
  }

  @Test
  void stopsWithStepAndIdsAndKeepsTheLastGoodCheckpoint() throws Exception {
    // order is shuffled per epoch; with every example finite except one, the step holding it fails
    List<double[]> data = List.of(new double[] {1}, new double[] {2}, new double[] {3}, new double[] {Double.NaN});
    TrainingConfig cfg = new TrainingConfig(0, 3, 1, 1, AdamWConfig.of(1e-2, 0), "constant", 0, 0, 1, 1, 0, 1, 10,
        false);
    try (NDManager m = NDManager.newBaseManager()) {
      TrainingLoop<double[]> loop = new TrainingLoop<>(new ToyTask(m), cfg, m, tmp, Provenance.of("t", null, 1L));
      assertThatThrownBy(() -> loop.run(data, List.of(), "d", false))
          .isInstanceOf(NonFiniteLossException.class)
          .satisfies(e -> {
            NonFiniteLossException n = (NonFiniteLossException) e;
            assertThat(n.exampleIds()).containsExactly("bad");
            assertThat(n.getMessage()).contains("step " + n.step(), "bad");
            CheckpointManager cm = new CheckpointManager(tmp.resolve(TrainingLoop.CHECKPOINTS_DIR), 10);
            if (n.step() > 1) {
              assertThat(cm.latest().map(CheckpointManager::stepOf)).contains(n.step() - 1);
            } else {
              assertThat(cm.latest()).isEmpty();
            }
          });
      assertThat(Files.exists(tmp.resolve(TrainingLoop.FINAL_DIR))).isFalse();
    }
  }
}

package org.genderalign.trainer.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.optim.AdamWConfig;
import org.genderalign.trainer.training.TrainingConfig;
import org.genderalign.trainer.training.TrainingLoop;
import org.genderalign.trainer.training.TrainingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stories260K with a fixed {@code score} head against an independent PyTorch implementation of
 * Hugging Face's {@code LlamaForSequenceClassification} pooling and TRL's reward loss
 * ({@code src/test/python/reward_reference.py}, whose output is the resource
 * {@code reward-golden.json}): the pooled positions, the rewards of a right-padded batch, the
 * loss with margins and reward centring, TRL's logged metrics, and three full-batch AdamW steps.
 */
class RewardPyTorchGoldenTest {

  @TempDir Path tmp;

  /** The pairs of reward_reference.py. */
  static final List<RewardExample> PAIRS = List.of(
      new RewardExample("g0", new int[] {1, 400, 261, 300, 270, 280, 290, 2}, new int[] {1, 400, 261, 300, 310, 320, 2},
          0.5f),
      new RewardExample("g1", new int[] {1, 350, 351, 352, 353, 354, 355, 2}, new int[] {1, 350, 351, 356, 357, 358, 2},
          0f),
      new RewardExample("g2", new int[] {1, 260, 261, 262, 263, 264, 265, 2}, new int[] {1, 260, 261, 262, 263, 266, 2},
          -0.25f),
      new RewardExample("g3", new int[] {1, 500, 501, 502, 503, 504, 2},
          new int[] {1, 500, 501, 505, 506, 507, 508, 509, 2}, 1f));

  static Map<?, ?> golden() throws Exception {
    try (InputStream in = RewardPyTorchGoldenTest.class.getResourceAsStream("reward-golden.json")) {
      return new ObjectMapper().readValue(in, Map.class);
    }
  }

  static RewardModel model(Map<?, ?> g) throws Exception {
    RewardModel rm = RewardModel.withFreshHead(
        ModelLoader.load(ModelLoader.STORIES_260K, DataRoot.fromEnvironment(), Device.cpu()), 0,
        ((Number) g.get("pad_token_id")).intValue());
    List<?> head = (List<?>) g.get("head");
    float[] w = new float[head.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = ((Number) head.get(i)).floatValue();
    }
    rm.score().getArray().set(w);
    return rm;
  }

  @Test
  void pooledPositionsRewardsAndLossMatchPyTorch() throws Exception {
    Map<?, ?> g = golden();
    try (RewardModel rm = model(g); NDManager m = rm.manager().newSubManager()) {
      List<int[]> rows = new ArrayList<>();
      PAIRS.forEach(p -> rows.add(p.chosen()));
      PAIRS.forEach(p -> rows.add(p.rejected()));
      RewardBatch batch = RewardBatch.of(rows, rm.padTokenId());
      List<?> wantLast = (List<?>) g.get("last_index");
      List<?> wantRewards = (List<?>) g.get("rewards");
      for (int i = 0; i < rows.size(); i++) {
        assertThat(batch.lastIndex()[i]).as("row %d", i).isEqualTo(((Number) wantLast.get(i)).intValue());
      }
      float[] r = rm.rewards(new ParameterStore(m, false), m, batch, false).toFloatArray();
      for (int i = 0; i < r.length; i++) {
        assertThat((double) r[i]).as("reward %d", i).isCloseTo(((Number) wantRewards.get(i)).doubleValue(),
            within(2e-5));
      }
      // the same rewards one row at a time: padding and batch-mates change nothing
      float[] single = rm.rewards(rows, 1);
      for (int i = 0; i < r.length; i++) {
        assertThat(single[i]).as("row %d alone", i).isCloseTo(r[i], within(1e-5f));
      }
      RewardTask task = new RewardTask(rm, null, ((Number) g.get("center_rewards_coefficient")).doubleValue(),
          Provenance.of("test", null, 1L));
      Map<String, Double> sums = task.forward(new ParameterStore(m, false), m, PAIRS, false, null).metricSums();
      assertThat(sums.get("loss") / 4).isCloseTo(((Number) g.get("loss")).doubleValue(), within(1e-5));
      // TRL's logged metrics of the same batch (the loop divides the sums by the 4 pairs)
      Map<?, ?> metrics = (Map<?, ?>) g.get("metrics");
      for (String k : List.of("accuracy", "margin", "min_reward", "mean_reward", "max_reward")) {
        assertThat(sums.get(k) / 4).as(k).isCloseTo(((Number) metrics.get(k)).doubleValue(), within(2e-5));
      }
    }
  }

  @Test
  void threeFullBatchStepsMatchPyTorch() throws Exception {
    Map<?, ?> g = golden();
    List<?> want = (List<?>) g.get("losses");
    TrainingConfig tc = new TrainingConfig(3, 0, 4, 1, new AdamWConfig(1e-3, 0.9, 0.999, 1e-8, 0.01), "constant", 0,
        1.0, 1, 1, 0, 0, 1, false);
    try (RewardModel rm = model(g)) {
      RewardTask task = new RewardTask(rm, null, ((Number) g.get("center_rewards_coefficient")).doubleValue(),
          Provenance.of("test", null, 1L));
      TrainingResult r = new TrainingLoop<>(task, tc, rm.manager(), tmp, Provenance.of("test", null, 1L))
          .run(PAIRS, List.of(), "golden", false);
      assertThat(r.history()).hasSize(3);
      for (int i = 0; i < 3; i++) {
        assertThat(((Number) r.history().get(i).get("loss")).doubleValue()).as("step %d", i + 1)
            .isCloseTo(((Number) want.get(i)).doubleValue(), within(1e-4));
      }
    }
  }
}

package org.genderalign.trainer.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Bradley–Terry loss and its metrics against values worked out by hand from TRL's formula. */
class BradleyTerryLossTest {

  // r_c, r_r, margin of three pairs: a clear win, a loss that the margin deepens, a tie
  static final float[] RC = {2f, 0.5f, -1f};
  static final float[] RR = {1f, 1f, -1f};
  static final float[] M = {0f, 0.25f, 0f};

  @Test
  void perPairLossIsSoftplusOfMinusMarginGap() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] l = BradleyTerryLoss.losses(m.create(RC), m.create(RR), m.create(M), null).toFloatArray();
      // −log σ(1) = log(1 + e^−1); −log σ(−0.75) = log(1 + e^0.75); −log σ(0) = ln 2
      assertThat((double) l[0]).isCloseTo(0.31326168751822286, within(1e-6));
      assertThat((double) l[1]).isCloseTo(1.1368710061148999, within(1e-6));
      assertThat((double) l[2]).isCloseTo(0.6931471805599453, within(1e-6));
      // without a margin array, pair 1's gap is −0.5
      float[] noMargin = BradleyTerryLoss.losses(m.create(RC), m.create(RR), null, null).toFloatArray();
      assertThat((double) noMargin[1]).isCloseTo(Math.log1p(Math.exp(0.5)), within(1e-6));
    }
  }

  @Test
  void centringAddsCoefficientTimesSquaredSum() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] plain = BradleyTerryLoss.losses(m.create(RC), m.create(RR), m.create(M), null).toFloatArray();
      float[] centred = BradleyTerryLoss.losses(m.create(RC), m.create(RR), m.create(M), 0.01).toFloatArray();
      double[] squared = {9, 2.25, 4}; // (r_c + r_r)²
      for (int i = 0; i < 3; i++) {
        assertThat((double) centred[i] - plain[i]).isCloseTo(0.01 * squared[i], within(1e-6));
      }
    }
  }

  @Test
  void extremeGapsStayFinite() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray l = BradleyTerryLoss.losses(m.create(new float[] {1000f, -1000f}), m.create(new float[] {0f, 0f}), null,
          null);
      float[] v = l.toFloatArray();
      assertThat((double) v[0]).isCloseTo(0, within(1e-6));
      assertThat((double) v[1]).isCloseTo(1000, within(1e-3));
    }
  }

  @Test
  void metricsAreTrlsMeansWithStrictAccuracy() {
    float[] losses = {0.3f, 1.1f, 0.7f};
    Map<String, Double> s = BradleyTerryLoss.metricSums(RC, RR, losses);
    assertThat(s.keySet()).containsExactlyElementsOf(BradleyTerryLoss.METRICS);
    // sums over the 3 pairs; the loop divides by 3
    assertThat(s.get("loss")).isCloseTo(2.1, within(1e-6));
    assertThat(s.get("accuracy")).isEqualTo(1.0); // 2 > 1 only: 0.5 < 1 loses, −1 = −1 ties
    assertThat(s.get("rewards/chosen")).isCloseTo(1.5, within(1e-9));
    assertThat(s.get("rewards/rejected")).isCloseTo(1.0, within(1e-9));
    assertThat(s.get("rewards/margins")).isCloseTo(0.5, within(1e-9));
    assertThat(s.get("margin")).isCloseTo(0.5, within(1e-9));
    assertThat(s.get("mean_reward")).isCloseTo(1.25, within(1e-9)); // mean of all six rewards × 3
    assertThat(s.get("min_reward")).isCloseTo(-3, within(1e-9)); // min −1, × 3 pairs
    assertThat(s.get("max_reward")).isCloseTo(6, within(1e-9)); // max 2, × 3 pairs
  }
}

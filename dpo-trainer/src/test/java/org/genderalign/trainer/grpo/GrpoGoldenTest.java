package org.genderalign.trainer.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.genderalign.trainer.dpo.loss.Numerics;
import org.junit.jupiter.api.Test;

/**
 * GRPO's advantages, loss, metrics and the loss's gradient against an independent PyTorch
 * implementation of TRL's formulas ({@code src/test/python/grpo_reference.py}, whose output is the
 * resource {@code grpo-golden.json}): a fixed batch of 3 prompts × 4 completions with two weighted
 * reward functions (one group of equal rewards), ragged completion masks, and policy, old-policy
 * and reference log-probs; every loss type, with and without the KL term, asymmetric clipping, and
 * the one-iteration case (old = the policy's own log-probs, detached). Everything within 1e-6.
 */
class GrpoGoldenTest {

  static final double TOL = 1e-6;

  static Map<?, ?> golden() throws Exception {
    try (InputStream in = GrpoGoldenTest.class.getResourceAsStream("grpo-golden.json")) {
      return new ObjectMapper().readValue(in, Map.class);
    }
  }

  static float[] flat(Object rows) {
    List<?> r = (List<?>) rows;
    int cols = r.get(0) instanceof List<?> l ? l.size() : 1;
    float[] out = new float[r.size() * cols];
    for (int i = 0; i < r.size(); i++) {
      if (r.get(i) instanceof List<?> l) {
        for (int j = 0; j < cols; j++) {
          out[i * cols + j] = ((Number) l.get(j)).floatValue();
        }
      } else {
        out[i] = ((Number) r.get(i)).floatValue();
      }
    }
    return out;
  }

  static float[][] perFunction(Map<?, ?> g) {
    List<?> rows = (List<?>) g.get("rewards_per_func");
    int k = ((List<?>) rows.get(0)).size();
    float[][] out = new float[k][rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < k; j++) {
        out[j][i] = ((Number) ((List<?>) rows.get(i)).get(j)).floatValue();
      }
    }
    return out;
  }

  @Test
  void weightedRewardsAndAdvantagesMatchTrl() throws Exception {
    Map<?, ?> g = golden();
    float[] total = WeightedRewards.combine(perFunction(g), flat(g.get("weights")));
    float[] want = flat(g.get("rewards"));
    for (int i = 0; i < want.length; i++) {
      assertThat((double) total[i]).as("reward %d", i).isCloseTo(want[i], within(TOL));
    }
    int groupSize = ((Number) g.get("g")).intValue();
    for (String scale : Advantages.SCALES) {
      Map<?, ?> exp = (Map<?, ?>) ((Map<?, ?>) g.get("advantages")).get(scale);
      Advantages.Result r = Advantages.compute(total, groupSize, scale);
      float[] a = flat(exp.get("values"));
      for (int i = 0; i < a.length; i++) {
        assertThat((double) r.advantages()[i]).as("%s advantage %d", scale, i).isCloseTo(a[i], within(TOL));
      }
      assertThat(r.zeroStdFraction()).as(scale).isCloseTo(((Number) exp.get("frac_reward_zero_std")).doubleValue(),
          within(TOL));
    }
  }

  @Test
  void lossMetricsAndGradientMatchTrlForEveryLossType() throws Exception {
    Map<?, ?> g = golden();
    int n = ((List<?>) g.get("mask")).size();
    int len = ((List<?>) ((List<?>) g.get("mask")).get(0)).size();
    Shape shape = new Shape(n, len);
    float[] adv = flat(((Map<?, ?>) ((Map<?, ?>) g.get("advantages")).get("group")).get("values"));
    List<?> cases = (List<?>) g.get("cases");
    assertThat(cases).hasSizeGreaterThanOrEqualTo(10);
    for (Object o : cases) {
      Map<?, ?> c = (Map<?, ?>) o;
      String name = c.get("loss_type") + " beta " + c.get("beta") + " old " + c.get("use_old") + " eps_high "
          + c.get("epsilon_high");
      GrpoLossConfig cfg = new GrpoLossConfig(((Number) c.get("beta")).doubleValue(),
          ((Number) c.get("epsilon")).doubleValue(), ((Number) c.get("epsilon_high")).doubleValue(),
          (String) c.get("loss_type"), ((Number) g.get("max_completion_length")).intValue());
      try (NDManager m = NDManager.newBaseManager()) {
        NDArray logps = m.create(flat(g.get("logps")), shape);
        logps.setRequiresGradient(true);
        NDArray old = (Boolean) c.get("use_old") ? m.create(flat(g.get("old_logps")), shape) : null;
        NDArray ref = m.create(flat(g.get("ref_logps")), shape);
        NDArray mask = m.create(flat(g.get("mask")), shape);
        GrpoLoss.Result r;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          r = new GrpoLoss(cfg).compute(logps, old, ref, m.create(adv), mask);
          // the loop's normalisation: the summed loss over the batch's units
          gc.backward(r.lossSum().div(Numerics.scalar(r.lossSum(), r.units())));
        }
        assertThat(r.loss()).as(name).isCloseTo(((Number) c.get("loss")).doubleValue(), within(TOL));
        assertThat(r.kl()).as(name + " kl").isCloseTo(((Number) c.get("kl")).doubleValue(), within(TOL));
        assertThat(r.lowClipRatio()).as(name + " low").isCloseTo(((Number) c.get("clip_low")).doubleValue(),
            within(TOL));
        assertThat(r.highClipRatio()).as(name + " high").isCloseTo(((Number) c.get("clip_high")).doubleValue(),
            within(TOL));
        assertThat(r.regionClipRatio()).as(name + " region")
            .isCloseTo(((Number) c.get("clip_region")).doubleValue(), within(TOL));
        float[] grad = logps.getGradient().toFloatArray();
        float[] want = flat(c.get("grad"));
        for (int i = 0; i < want.length; i++) {
          assertThat((double) grad[i]).as("%s grad %d", name, i).isCloseTo(want[i], within(TOL));
        }
      }
    }
  }

  @Test
  void softOverlongPunishmentIsTrls() {
    // TRL's docstring example: max 10, cache 4 → 0 up to 6 tokens, then (6 − L) / 4, −1 beyond 10
    SoftOverlongPunishment p = new SoftOverlongPunishment(10, 4);
    assertThat(p.penalty(6)).isEqualTo(0f);
    assertThat(p.penalty(8)).isEqualTo(-0.5f);
    assertThat(p.penalty(10)).isEqualTo(-1f);
    assertThat(p.penalty(11)).isEqualTo(-1f);
  }
}

package org.genderalign.trainer.dpo.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Golden values from dpo-reference.md, a slow double-precision reference, and edge cases. */
class PreferenceLossesTest {

  static NDManager manager;

  // LLaMA-Factory's precision-test vector, β = 0.1.
  static final double[] PC = {-3, -2.5, -4, -1.5};
  static final double[] PR = {-5, -3.5, -6, -2.5};
  static final double[] RC = {-2.8, -2.3, -3.8, -1.4};
  static final double[] RR = {-3.2, -2.7, -4.2, -1.8};
  static final double[] ONES = {1, 1, 1, 1};

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  static PreferenceBatchLogps batch(NDManager m, double[] pc, double[] pr, double[] rc, double[] rr,
      double[] nc, double[] nr) {
    return new PreferenceBatchLogps(m.create(pc), m.create(pr), rc == null ? null : m.create(rc),
        rr == null ? null : m.create(rr), m.create(nc), m.create(nr));
  }

  static double meanLoss(String name, PreferenceLossConfig cfg, PreferenceBatchLogps b) {
    return PreferenceLosses.create(cfg).compute(b).meanLoss().getDouble();
  }

  @Test
  void goldenVectorMatchesTheReference() {
    try (NDManager m = manager.newSubManager()) {
      PreferenceBatchLogps b = batch(m, PC, PR, RC, RR, ONES, ONES);
      PreferenceLossConfig base = PreferenceLossConfig.of("sigmoid", 0.1);
      assertThat(meanLoss("sigmoid", base, b)).isCloseTo(0.6399704431, within(1e-9));
      assertThat(meanLoss("hinge", PreferenceLossConfig.of("hinge", 0.1), b)).isCloseTo(0.89, within(1e-9));
      assertThat(meanLoss("ipo", PreferenceLossConfig.of("ipo", 0.1).withIpoLengthNormalized(false), b))
          .isCloseTo(15.46, within(1e-9));
      assertThat(meanLoss("cdpo", PreferenceLossConfig.of("cdpo", 0.1).withLabelSmoothing(0.1), b))
          .isCloseTo(0.6509704431, within(1e-9));
      // TRL ≥ 0.29's sigmoid ignores label smoothing, so giving it without a loss that reads it is an error
      assertThatThrownBy(() -> base.withLabelSmoothing(0.1)).hasMessageContaining("use 'cdpo'");
      assertThat(meanLoss("robust", PreferenceLossConfig.of("robust", 0.1).withLabelSmoothing(0.1), b))
          .isCloseTo(0.6262204431, within(1e-9));

      Map<String, Double> metrics = PreferenceMetrics.of(b, PreferenceLosses.create(base).compute(b));
      assertThat(metrics.get("rewards/chosen")).isCloseTo(-0.0175, within(1e-9));
      assertThat(metrics.get("rewards/rejected")).isCloseTo(-0.1275, within(1e-9));
      assertThat(metrics.get("rewards/margins")).isCloseTo(0.11, within(1e-9));
      assertThat(metrics.get("rewards/accuracies")).isEqualTo(1.0);
      assertThat(metrics.get("logps/chosen")).isCloseTo(-2.75, within(1e-9));
      assertThat(metrics.get("logps/rejected")).isCloseTo(-4.25, within(1e-9));
      assertThat(metrics.get("loss")).isCloseTo(0.6399704431, within(1e-9));
      // objective/kl: mean of ℓ − ℓ_ref over the 8 completions, by hand:
      // chosen −0.2, −0.2, −0.2, −0.1; rejected −1.8, −0.8, −1.8, −0.7 → −5.8 / 8
      assertThat(metrics.get("objective/kl")).isCloseTo(-0.725, within(1e-9));
      // = (rewards/chosen + rewards/rejected) / (2β) for the sigmoid loss
      assertThat(metrics.get("objective/kl"))
          .isCloseTo((metrics.get("rewards/chosen") + metrics.get("rewards/rejected")) / 0.2, within(1e-9));
    }
  }

  @Test
  void klIsZeroAtTheReferenceAndAbsentForReferenceFreeLosses() {
    try (NDManager m = manager.newSubManager()) {
      PreferenceBatchLogps same = batch(m, RC, RR, RC, RR, ONES, ONES);
      assertThat(PreferenceMetrics.of(same, PreferenceLosses.create(PreferenceLossConfig.defaults())
          .compute(same)).get("objective/kl")).isEqualTo(0.0);
      PreferenceBatchLogps free = batch(m, PC, PR, null, null, ONES, ONES);
      assertThat(PreferenceMetrics.of(free, PreferenceLosses.create(PreferenceLossConfig.of("simpo", 2.0))
          .compute(free))).doesNotContainKey("objective/kl");
    }
  }

  @Test
  void policyEqualToReferenceGivesLn2AndTiesAreNotAccurate() {
    try (NDManager m = manager.newSubManager()) {
      PreferenceBatchLogps b = batch(m, RC, RR, RC, RR, ONES, ONES);
      PreferenceLossOutput out = PreferenceLosses.create(PreferenceLossConfig.defaults()).compute(b);
      for (double l : PreferenceMetrics.toDoubles(out.losses())) {
        assertThat(l).isCloseTo(Math.log(2), within(1e-12));
      }
      assertThat(PreferenceMetrics.of(b, out).get("rewards/accuracies")).isEqualTo(0.0);
    }
  }

  @Test
  void everyLossMatchesASlowReferenceOnRandomInputs() {
    Random rnd = new Random(42);
    for (int trial = 0; trial < 20; trial++) {
      int n = 1 + rnd.nextInt(6);
      double[] pc = new double[n], pr = new double[n], rc = new double[n], rr = new double[n];
      double[] nc = new double[n], nr = new double[n];
      for (int i = 0; i < n; i++) {
        nc[i] = rnd.nextInt(40); // 0 exercises the clamp to 1
        nr[i] = 1 + rnd.nextInt(40);
        pc[i] = -0.05 - rnd.nextDouble() * 3 * Math.max(1, nc[i]);
        pr[i] = -0.05 - rnd.nextDouble() * 3 * nr[i];
        rc[i] = pc[i] + rnd.nextGaussian() * 5;
        rr[i] = pr[i] + rnd.nextGaussian() * 5;
      }
      double beta = 0.01 + rnd.nextDouble();
      double eps = rnd.nextDouble() * 0.45;
      double gamma = rnd.nextDouble();
      double lambda = rnd.nextDouble();
      try (NDManager m = manager.newSubManager()) {
        PreferenceBatchLogps b = batch(m, pc, pr, rc, rr, nc, nr);
        PreferenceLossConfig c = new PreferenceLossConfig("robust", beta, eps, true, gamma, lambda);
        for (String name : SLOW_NAMES) { // the others: PreferenceLossGoldenTest (mpmath reference)
          PreferenceLossConfig cn = new PreferenceLossConfig(name, beta,
              PreferenceLosses.usesLabelSmoothing(name) ? eps : 0, true, gamma, lambda);
          double[] got = PreferenceMetrics.toDoubles(PreferenceLosses.create(cn).compute(b).losses());
          for (int i = 0; i < n; i++) {
            double want = slow(name, c, pc[i], pr[i], rc[i], rr[i], Math.max(1, nc[i]), Math.max(1, nr[i]));
            assertThat(got[i]).as("%s pair %d", name, i).isCloseTo(want, within(1e-9 * Math.max(1, Math.abs(want))));
          }
        }
        PreferenceLossConfig unnorm = new PreferenceLossConfig("ipo", beta, 0, false, gamma, lambda);
        double[] got = PreferenceMetrics.toDoubles(PreferenceLosses.create(unnorm).compute(b).losses());
        for (int i = 0; i < n; i++) {
          double z = (pc[i] - rc[i]) - (pr[i] - rr[i]);
          double want = Math.pow(z - 1 / (2 * beta), 2);
          assertThat(got[i]).isCloseTo(want, within(1e-9 * Math.max(1, want)));
        }
      }
    }
  }

  static final java.util.List<String> SLOW_NAMES =
      java.util.List.of("sigmoid", "cdpo", "robust", "hinge", "ipo", "simpo", "orpo");

  /** Textbook formulas in double precision, written independently of the NDArray code. */
  static double slow(String name, PreferenceLossConfig c, double pc, double pr, double rc, double rr,
      double nc, double nr) {
    double beta = c.beta();
    double z = (pc - rc) - (pr - rr);
    switch (name) {
      case "sigmoid":
        return -logSigmoid(beta * z);
      case "cdpo":
        return -(1 - c.labelSmoothing()) * logSigmoid(beta * z) - c.labelSmoothing() * logSigmoid(-beta * z);
      case "robust":
        return (-(1 - c.labelSmoothing()) * logSigmoid(beta * z) + c.labelSmoothing() * logSigmoid(-beta * z))
            / (1 - 2 * c.labelSmoothing());
      case "hinge":
        return Math.max(0, 1 - beta * z);
      case "ipo":
        double zn = (pc - rc) / nc - (pr - rr) / nr;
        return Math.pow(zn - 1 / (2 * beta), 2);
      case "simpo":
        return -logSigmoid(beta * (pc / nc - pr / nr) - c.simpoGamma());
      case "orpo":
        double mc = pc / nc, mr = pr / nr;
        double logOdds = (mc - mr) - (Math.log(-Math.expm1(mc)) - Math.log(-Math.expm1(mr)));
        return -mc - c.orpoLambda() * logSigmoid(logOdds);
      default:
        throw new AssertionError(name);
    }
  }

  static double logSigmoid(double x) {
    return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
  }

  @Test
  void lossesAndGradientsStayFiniteAtExtremes() {
    double[] pc = {-1e4, -1e-9, -50, 0};
    double[] pr = {-1e-3, -1e4, -1e-12, -3};
    double[] rc = {0, -1e4, -1e-3, -1e4};
    double[] rr = {-1e4, 0, -1e4, 0};
    double[] n = {1, 3, 0, 2};
    for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
      for (String name : PreferenceLosses.names()) {
        try (NDManager m = manager.newSubManager()) {
          NDArray a = m.create(pc).toType(type, false);
          a.setRequiresGradient(true);
          NDArray bRej = m.create(pr).toType(type, false);
          bRej.setRequiresGradient(true);
          PreferenceBatchLogps b = new PreferenceBatchLogps(a, bRej, m.create(rc).toType(type, false),
              m.create(rr).toType(type, false), m.create(n).toType(type, false), m.create(n).toType(type, false));
          PreferenceLossConfig cfg = new PreferenceLossConfig(name, 0.1,
              PreferenceLosses.usesLabelSmoothing(name) ? 0.2 : 0, true, 0.5, 0.1);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = PreferenceLosses.create(cfg).compute(b).meanLoss();
            gc.backward(loss);
            assertThat(Double.isFinite(loss.toType(DataType.FLOAT64, false).getDouble())).as(name + " " + type).isTrue();
          }
          for (double g : PreferenceMetrics.toDoubles(a.getGradient())) {
            assertThat(Double.isFinite(g)).as(name + " grad " + type).isTrue();
          }
          for (double g : PreferenceMetrics.toDoubles(bRej.getGradient())) {
            assertThat(Double.isFinite(g)).as(name + " grad " + type).isTrue();
          }
        }
      }
    }
  }

  @Test
  void gradientOfSigmoidMatchesTheAnalyticForm() {
    try (NDManager m = manager.newSubManager()) {
      NDArray a = m.create(PC);
      a.setRequiresGradient(true);
      PreferenceBatchLogps b = new PreferenceBatchLogps(a, m.create(PR), m.create(RC), m.create(RR),
          m.create(ONES), m.create(ONES));
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(PreferenceLosses.create(PreferenceLossConfig.defaults()).compute(b).meanLoss());
      }
      double[] g = a.getGradient().toDoubleArray();
      double[] z = {1.6, 0.6, 1.6, 0.6};
      for (int i = 0; i < 4; i++) {
        // d/dℓc of mean −log σ(βz) = −β σ(−βz) / B
        double want = -0.1 / (1 + Math.exp(0.1 * z[i])) / 4;
        assertThat(g[i]).isCloseTo(want, within(1e-12));
      }
    }
  }

  @Test
  void badConfigsAreRejected() {
    assertThatThrownBy(() -> PreferenceLossConfig.of("sigmoid", 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PreferenceLossConfig.of("sigmoid", 0.1).withLabelSmoothing(0.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PreferenceLosses.create(PreferenceLossConfig.of("nope", 0.1)))
        .hasMessageContaining("unknown loss 'nope'");
    assertThatThrownBy(() -> PreferenceLosses.create(PreferenceLossConfig.of("cdpo", 0.1)))
        .hasMessageContaining("label smoothing");
    assertThatThrownBy(() -> PreferenceLosses.create(PreferenceLossConfig.of("exo_pair", 0.1)))
        .hasMessageContaining("label smoothing");
    assertThatThrownBy(() -> PreferenceLossConfig.mixture(java.util.List.of("sigmoid", "sigmoid"), null, 0.1))
        .hasMessageContaining("listed twice");
    assertThatThrownBy(() -> PreferenceLossConfig.mixture(java.util.List.of("sigmoid", "sft"), java.util.List.of(1.0), 0.1))
        .hasMessageContaining("same length");
    assertThatThrownBy(() -> PreferenceLossConfig.of("aot", 0.1).withUseWeighting(true))
        .hasMessageContaining("sorts the batch");
    assertThatThrownBy(() -> PreferenceLossConfig.mixture(java.util.List.of("sigmoid", "sft"), null, 0.1)
        .withUseWeighting(true)).hasMessageContaining("token mean");
    assertThatThrownBy(() -> PreferenceLossConfig.of("sigmoid", 0.1).withLdAlpha(1.5)).hasMessageContaining("[0, 1]");
    assertThatThrownBy(() -> PreferenceLossConfig.of("sigmoid", 0.1).withBcoRunningBaseline(true))
        .hasMessageContaining("bco_pair");
    assertThatThrownBy(() -> PreferenceLossConfig.of("discopop", 0.1).withDiscopopTau(0))
        .hasMessageContaining("tau");
    // a single loss with weight 1 is the loss itself; anything else is combined
    assertThat(PreferenceLosses.create(PreferenceLossConfig.of("ipo", 0.1))).isInstanceOf(IpoLoss.class);
    assertThat(PreferenceLosses.create(PreferenceLossConfig.mixture(java.util.List.of("ipo"), java.util.List.of(2.0), 0.1)))
        .isInstanceOf(CombinedLoss.class);
    assertThat(PreferenceLosses.create(PreferenceLossConfig.of("simpo", 0.1)).needsReference()).isFalse();
    try (NDManager m = manager.newSubManager()) {
      PreferenceBatchLogps noRef = batch(m, PC, PR, null, null, ONES, ONES);
      assertThatThrownBy(() -> PreferenceLosses.create(PreferenceLossConfig.defaults()).compute(noRef))
          .isInstanceOf(IllegalStateException.class);
    }
  }
}

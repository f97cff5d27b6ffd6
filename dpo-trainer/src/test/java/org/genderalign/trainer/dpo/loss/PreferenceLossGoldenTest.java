package org.genderalign.trainer.dpo.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every loss against {@code preference-losses-golden.json}, written by
 * {@code src/test/python/preference_losses_reference.py}: TRL v1.9.0's per-pair formulas evaluated
 * in 60-digit mpmath on random log-probs, extreme margins included (where TRL's own discopop gives
 * NaN, as the file records). Also weighted mixtures with WPO pair weights, and bco_pair's running
 * baseline across training batches and a checkpoint.
 */
class PreferenceLossGoldenTest {

  static NDManager manager;
  static Map<String, Object> golden;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void setUp() throws Exception {
    manager = NDManager.newBaseManager();
    try (InputStream in = PreferenceLossGoldenTest.class.getResourceAsStream("preference-losses-golden.json")) {
      golden = new ObjectMapper().readValue(in, Map.class);
    }
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> cases() {
    return (List<Map<String, Object>>) golden.get("cases");
  }

  @SuppressWarnings("unchecked")
  static double[] doubles(Map<String, Object> c, String key) {
    return ((List<Number>) c.get(key)).stream().mapToDouble(Number::doubleValue).toArray();
  }

  static double num(Map<String, Object> c, String key) {
    return ((Number) c.get(key)).doubleValue();
  }

  static PreferenceBatchLogps batch(NDManager m, Map<String, Object> c, DataType type, boolean withWeights) {
    return new PreferenceBatchLogps(arr(m, c, "pc", type), arr(m, c, "pr", type), arr(m, c, "rc", type),
        arr(m, c, "rr", type), arr(m, c, "nc", type), arr(m, c, "nr", type),
        c.containsKey("pc_full") ? arr(m, c, "pc_full", type) : null, withWeights ? arr(m, c, "w", type) : null);
  }

  static NDArray arr(NDManager m, Map<String, Object> c, String key, DataType type) {
    return m.create(doubles(c, key)).toType(type, false);
  }

  /** The config of one loss for one case: ε only where the loss reads it. */
  static PreferenceLossConfig config(String name, Map<String, Object> c) {
    double eps = PreferenceLosses.usesLabelSmoothing(name) ? num(c, "eps") : 0;
    return PreferenceLossConfig.of(name, num(c, "beta")).withLabelSmoothing(eps).withDiscopopTau(num(c, "tau"));
  }

  static void assertClose(double[] got, double[] want, String what) {
    assertThat(got).as(what).hasSameSizeAs(want);
    for (int i = 0; i < want.length; i++) {
      assertThat(got[i]).as("%s [%d]", what, i).isCloseTo(want[i], within(1e-9 * Math.max(1, Math.abs(want[i]))));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyLossMatchesTheMpmathReferenceInFloat64() {
    List<String> names = (List<String>) golden.get("losses");
    assertThat(PreferenceLosses.names()).containsAll(names);
    int k = 0;
    for (Map<String, Object> c : cases()) {
      Map<String, List<Number>> want = (Map<String, List<Number>>) c.get("losses");
      for (String name : names) {
        try (NDManager m = manager.newSubManager()) {
          PreferenceLossOutput out = PreferenceLosses.create(config(name, c)).compute(batch(m, c, DataType.FLOAT64, false));
          assertClose(PreferenceMetrics.toDoubles(out.losses()),
              want.get(name).stream().mapToDouble(Number::doubleValue).toArray(), name + " case " + k);
        }
      }
      k++;
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void extremeMarginsStayFiniteInFloat32WithFiniteGradientsWhereTrlsDiscopopIsNot() {
    List<String> names = (List<String>) golden.get("losses");
    int extremes = 0;
    for (Map<String, Object> c : cases()) {
      Map<String, List<String>> trlNonFinite = (Map<String, List<String>>) c.get("trl_nonfinite");
      extremes += trlNonFinite.get("float32").contains("discopop") ? 1 : 0;
      for (String name : names) {
        try (NDManager m = manager.newSubManager()) {
          PreferenceBatchLogps b = batch(m, c, DataType.FLOAT32, false);
          b.policyChosen().setRequiresGradient(true);
          b.policyRejected().setRequiresGradient(true);
          b.policyChosenFull().setRequiresGradient(true);
          NDArray loss;
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            loss = PreferenceLosses.create(config(name, c)).compute(b).meanLoss();
            gc.backward(loss);
          }
          assertThat(Double.isFinite(loss.toType(DataType.FLOAT64, false).getDouble())).as(name).isTrue();
          for (NDArray x : List.of(b.policyChosen(), b.policyRejected(), b.policyChosenFull())) {
            for (double g : PreferenceMetrics.toDoubles(x.getGradient())) {
              assertThat(Double.isFinite(g)).as("%s gradient", name).isTrue();
            }
          }
        }
      }
    }
    assertThat(extremes).as("cases where TRL's float32 discopop is NaN/Inf").isGreaterThanOrEqualTo(4);
  }

  @Test
  @SuppressWarnings("unchecked")
  void weightedMixturesAndWpoWeightsMatchTheReference() {
    List<Map<String, Object>> mixtures = (List<Map<String, Object>>) golden.get("mixtures");
    int k = 0;
    for (Map<String, Object> c : cases()) {
      List<List<Number>> want = (List<List<Number>>) c.get("mixtures");
      for (int j = 0; j < mixtures.size(); j++) {
        Map<String, Object> mix = mixtures.get(j);
        List<String> types = (List<String>) mix.get("types");
        List<Double> weights = new ArrayList<>();
        ((List<Number>) mix.get("weights")).forEach(w -> weights.add(w.doubleValue()));
        boolean wpo = (Boolean) mix.get("wpo");
        PreferenceLossConfig cfg = PreferenceLossConfig.mixture(types, weights, num(c, "beta"))
            .withDiscopopTau(num(c, "tau")).withUseWeighting(wpo);
        PreferenceLoss loss = PreferenceLosses.create(cfg);
        assertThat(loss).isInstanceOf(CombinedLoss.class);
        assertThat(loss.needsPairWeights()).isEqualTo(wpo);
        try (NDManager m = manager.newSubManager()) {
          PreferenceBatchLogps b = batch(m, c, DataType.FLOAT64, wpo);
          PreferenceLossOutput out = loss.compute(b);
          assertClose(PreferenceMetrics.toDoubles(out.losses()),
              want.get(j).stream().mapToDouble(Number::doubleValue).toArray(), types + " case " + k);
          if (types.size() > 1) {
            assertThat(out.components().keySet()).containsExactlyElementsOf(loss.componentNames());
            Map<String, Double> metrics = PreferenceMetrics.of(b, out);
            assertThat(metrics).containsKeys(loss.componentNames().toArray(new String[0]));
          }
          // rewards are β·rc, β·rr whatever the mixture
          double[] rc = PreferenceMetrics.toDoubles(b.chosenLogRatio());
          double[] got = PreferenceMetrics.toDoubles(out.chosenRewards());
          for (int i = 0; i < rc.length; i++) {
            assertThat(got[i]).isCloseTo(num(c, "beta") * rc[i], within(1e-9 * Math.max(1, Math.abs(rc[i]))));
          }
        }
      }
      k++;
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void bcoRunningBaselineFollowsTrl028AcrossTrainingBatchesAndACheckpoint() {
    Map<String, Object> seq = (Map<String, Object>) golden.get("bco_running_baseline");
    double beta = num(seq, "beta");
    List<Map<String, Object>> steps = (List<Map<String, Object>>) seq.get("steps");
    PreferenceLossConfig cfg = PreferenceLossConfig.of("bco_pair", beta).withBcoRunningBaseline(true);
    BcoPairLoss loss = (BcoPairLoss) PreferenceLosses.create(cfg);
    BcoPairLoss resumed = null;
    for (int j = 0; j < steps.size(); j++) {
      Map<String, Object> s = steps.get(j);
      Map<String, Object> b = (Map<String, Object>) s.get("batch");
      boolean training = (Boolean) s.get("training");
      try (NDManager m = manager.newSubManager()) {
        PreferenceBatchLogps in = batch(m, b, DataType.FLOAT64, false);
        double[] got = PreferenceMetrics.toDoubles(loss.compute(in, training).losses());
        assertThat(loss.baseline()).as("baseline after batch %d", j).isCloseTo(num(s, "baseline"), within(1e-12));
        assertClose(got, doubles(s, "losses"), "bco_pair batch " + j);
        if (resumed != null) {
          assertThat(resumed.compute(in, training).losses().toDoubleArray()).containsExactly(got);
          assertThat(resumed.baseline()).isEqualTo(loss.baseline());
        }
      }
      if (j == 0) { // a checkpoint after the first batch, restored into a fresh loss through JSON
        Map<String, Object> state = loss.state();
        try {
          ObjectMapper json = new ObjectMapper();
          Map<String, Object> back = json.readValue(json.writeValueAsString(state), Map.class);
          resumed = (BcoPairLoss) PreferenceLosses.create(cfg);
          resumed.restoreState(back);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }
    }
    // without the option (TRL v1.9.0) there is no baseline and no state
    PreferenceLoss plain = PreferenceLosses.create(PreferenceLossConfig.of("bco_pair", beta));
    assertThat(plain.state()).isEmpty();
  }
}

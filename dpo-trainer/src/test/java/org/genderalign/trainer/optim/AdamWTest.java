package org.genderalign.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamWTest {

  /** A parameter w whose loss is sum(w · c): its gradient is exactly c. */
  static void backwardWithGradient(NDManager m, Parameter p, double[] c) {
    try (NDManager step = m.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray coef = step.create(c).toType(p.getArray().getDataType(), false).reshape(p.getArray().getShape());
      gc.backward(p.getArray().mul(coef).sum());
    }
  }

  static Parameter param(NDManager m, double[] init, DataType type) {
    Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
    NDArray a = m.create(init).toType(type, false);
    p.setArray(a);
    a.setRequiresGradient(true);
    return p;
  }

  @Test
  void matchesTorchAdamWFormulaStepByStep() {
    Random rnd = new Random(7);
    int n = 5;
    double[] w0 = new double[n];
    for (int i = 0; i < n; i++) {
      w0[i] = rnd.nextGaussian();
    }
    AdamWConfig cfg = new AdamWConfig(1e-2, 0.9, 0.999, 1e-8, 0.1);
    try (NDManager m = NDManager.newBaseManager(); AdamW opt = new AdamW(cfg, m)) {
      Parameter p = param(m, w0, DataType.FLOAT64);
      Map<String, Parameter> params = Map.of("w", p);
      double[] w = w0.clone(), mm = new double[n], vv = new double[n];
      for (int t = 1; t <= 6; t++) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
          g[i] = rnd.nextGaussian() * (i == 0 ? 1e-6 : 1); // a tiny gradient exercises ε
        }
        double lr = 1e-2 * t / 6.0;
        backwardWithGradient(m, p, g);
        opt.step(params, lr);
        for (int i = 0; i < n; i++) { // torch.optim.AdamW, single-tensor path
          w[i] *= 1 - lr * 0.1;
          mm[i] = 0.9 * mm[i] + 0.1 * g[i];
          vv[i] = 0.999 * vv[i] + 0.001 * g[i] * g[i];
          double denom = Math.sqrt(vv[i]) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
          w[i] -= lr / (1 - Math.pow(0.9, t)) * mm[i] / denom;
        }
        double[] got = p.getArray().toDoubleArray();
        for (int i = 0; i < n; i++) {
          assertThat(got[i]).as("step %d elem %d", t, i).isCloseTo(w[i], within(1e-12));
        }
        assertThat(p.getArray().getGradient().toDoubleArray()).containsOnly(0.0);
      }
      assertThat(opt.stepCount()).isEqualTo(6);
    }
  }

  @Test
  void restoredStateContinuesBitIdentically() {
    double[] w0 = {0.5, -1.5, 2.0};
    double[][] grads = {{1, 2, 3}, {-1, 0.5, 2}, {0.3, -0.2, 0.1}, {2, 2, -2}};
    AdamWConfig cfg = AdamWConfig.of(1e-1, 0.01);
    try (NDManager m = NDManager.newBaseManager()) {
      float[] straight;
      try (AdamW opt = new AdamW(cfg, m)) {
        Parameter p = param(m, w0, DataType.FLOAT32);
        for (double[] g : grads) {
          backwardWithGradient(m, p, g);
          opt.step(Map.of("w", p), 0.1);
        }
        straight = p.getArray().toFloatArray();
      }
      Parameter p = param(m, w0, DataType.FLOAT32);
      Map<String, NDArray[]> saved = new LinkedHashMap<>();
      long savedStep;
      try (AdamW first = new AdamW(cfg, m)) {
        for (int i = 0; i < 2; i++) {
          backwardWithGradient(m, p, grads[i]);
          first.step(Map.of("w", p), 0.1);
        }
        savedStep = first.stepCount();
        first.moments().forEach((k, v) -> {
          NDArray a = v[0].duplicate();
          NDArray b = v[1].duplicate();
          a.attach(m);
          b.attach(m);
          saved.put(k, new NDArray[] {a, b});
        });
      }
      try (AdamW second = new AdamW(cfg, m)) {
        second.restore(savedStep, saved);
        for (int i = 2; i < 4; i++) {
          backwardWithGradient(m, p, grads[i]);
          second.step(Map.of("w", p), 0.1);
        }
      }
      assertThat(p.getArray().toFloatArray()).containsExactly(straight);
    }
  }

  @Test
  void clippingScalesToTheMaxNormAndReportsThePreClipNorm() {
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter a = param(m, new double[] {1, 1}, DataType.FLOAT32);
      Parameter b = param(m, new double[] {1}, DataType.FLOAT32);
      backwardWithGradient(m, a, new double[] {3, 0});
      backwardWithGradient(m, b, new double[] {4});
      double norm = GradientClipping.clip(java.util.List.of(a, b), 1.0, m);
      assertThat(norm).isCloseTo(5.0, within(1e-9));
      assertThat(GradientClipping.globalNorm(java.util.List.of(a, b), m)).isCloseTo(1.0, within(1e-5));
      assertThat(GradientClipping.clip(java.util.List.of(a, b), 0, m)).isCloseTo(1.0, within(1e-5));
      assertThat(a.getArray().getGradient().toFloatArray()[0]).isCloseTo(0.6f, within(1e-5f));
    }
  }

  @Test
  void schedulesMatchHuggingFace() {
    LrSchedule lin = LrSchedule.of("linear", 2, 10);
    assertThat(new double[] {lin.factor(0), lin.factor(1), lin.factor(2), lin.factor(6), lin.factor(10), lin.factor(12)})
        .containsExactly(0.0, 0.5, 1.0, 0.5, 0.0, 0.0);
    LrSchedule cos = LrSchedule.of("cosine", 2, 12);
    assertThat(cos.factor(1)).isEqualTo(0.5);
    assertThat(cos.factor(2)).isCloseTo(1.0, within(1e-15));
    assertThat(cos.factor(7)).isCloseTo(0.5, within(1e-12));
    assertThat(cos.factor(12)).isCloseTo(0.0, within(1e-12));
    LrSchedule cons = LrSchedule.of("constant", 0, 10);
    assertThat(cons.factor(0)).isEqualTo(1.0);
    assertThat(LrSchedule.of("constant", 4, 10).factor(2)).isEqualTo(0.5);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LrSchedule.of("step", 0, 1))
        .hasMessageContaining("unknown lr scheduler");
  }

  @Test
  void shapeOfStateFollowsTheParameter() {
    try (NDManager m = NDManager.newBaseManager(); AdamW opt = new AdamW(AdamWConfig.of(1e-3, 0), m)) {
      Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
      NDArray a = m.ones(new Shape(2, 3));
      p.setArray(a);
      a.setRequiresGradient(true);
      backwardWithGradient(m, p, new double[] {1, 2, 3, 4, 5, 6});
      opt.step(Map.of("w", p), 1e-3);
      assertThat(opt.moments().get("w")[0].getShape()).isEqualTo(new Shape(2, 3));
    }
  }
}

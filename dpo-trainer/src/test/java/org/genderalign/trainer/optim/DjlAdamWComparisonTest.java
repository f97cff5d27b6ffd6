package org.genderalign.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

/**
 * Records what DJL's own {@code Optimizer.adamW()} does on the PyTorch engine, and why
 * {@link AdamW} exists. Measured: its weight decay is decoupled (w·lr·wd, not added to the
 * gradient) and it bias-corrects, but as lr·√(1−β2ᵗ)/(1−β1ᵗ) · m/(√v + ε) — so ε is not
 * bias-corrected as in torch.optim.AdamW. The difference is invisible for large gradients and
 * large for gradients near ε in the first steps. Its moments are private, so it cannot resume
 * bit-identically either.
 */
class DjlAdamWComparisonTest {

  @Test
  void djlAdamWDecouplesDecayButPlacesEpsilonDifferently() {
    double lr = 0.1, wd = 0.5, eps = 1e-3; // a large ε makes the placement visible
    double w0 = 1.0;
    double g = 1e-3;
    try (NDManager m = NDManager.newBaseManager()) {
      Optimizer djl = Optimizer.adamW().optLearningRateTracker(Tracker.fixed((float) lr))
          .optWeightDecays((float) wd).optEpsilon((float) eps).build();
      NDArray w = m.create(new double[] {w0}).toType(DataType.FLOAT32, false);
      NDArray grad = m.create(new double[] {g}).toType(DataType.FLOAT32, false);
      djl.update("w", w, grad);
      double got = w.toFloatArray()[0];

      // torch.optim.AdamW, step 1: m̂ = g, v̂ = g², update = lr·g/(|g| + ε)
      double torch = w0 * (1 - lr * wd) - lr * g / (Math.abs(g) + eps);
      // ε outside the bias correction: lr·√(1−β2)/(1−β1) · (0.1g)/(√(0.001)|g| + ε)
      double bc = Math.sqrt(1 - 0.999) / (1 - 0.9);
      double epsHat = w0 * (1 - lr * wd) - lr * bc * (0.1 * g) / (Math.sqrt(0.001) * Math.abs(g) + eps);
      // L2-coupled decay would add wd·w to the gradient instead
      assertThat(got).isCloseTo(epsHat, within(1e-6));
      assertThat(Math.abs(got - torch)).isGreaterThan(1e-3);
    }
  }
}

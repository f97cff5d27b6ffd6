package org.genderalign.taxonomy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SoftmaxRegressionTest {

  @Test
  void learnsThreeSeparableClustersAndReturnsProbabilities() {
    Random r = new Random(7);
    int n = 300;
    double[][] x = new double[n][];
    int[] y = new int[n];
    double[][] centres = {{0, 0}, {4, 0}, {0, 4}};
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      x[i] = new double[] {centres[y[i]][0] + r.nextGaussian() * 0.5, centres[y[i]][1] + r.nextGaussian() * 0.5, 1.0};
    }
    SoftmaxRegression m = SoftmaxRegression.train(x, y, 3, SoftmaxRegression.Config.defaults());
    int ok = 0;
    for (int i = 0; i < n; i++) {
      double[] p = m.predict(x[i]);
      assertThat(p[0] + p[1] + p[2]).isCloseTo(1.0, within(1e-9));
      int best = p[0] >= p[1] && p[0] >= p[2] ? 0 : p[1] >= p[2] ? 1 : 2;
      ok += best == y[i] ? 1 : 0;
    }
    assertThat(ok).isGreaterThan(290);
    // a constant feature (zero variance) must not produce NaN
    assertThat(m.predict(new double[] {4, 0, 1})[1]).isGreaterThan(0.9);
    // the contributions to a class add up to its score minus the bias: check sign on an easy point
    assertThat(m.contributions(new double[] {4, 0, 1}, 1)[0]).isPositive();
  }

  @Test
  void rejectsBadInputAndBadConfig() {
    assertThatThrownBy(() -> SoftmaxRegression.train(new double[0][], new int[0], 2, SoftmaxRegression.Config.defaults()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SoftmaxRegression.train(new double[][] {{1}, {1, 2}}, new int[] {0, 1}, 2,
        SoftmaxRegression.Config.defaults())).hasMessageContaining("ragged");
    assertThatThrownBy(() -> SoftmaxRegression.train(new double[][] {{1}}, new int[] {3}, 2,
        SoftmaxRegression.Config.defaults())).hasMessageContaining("out of range");
    assertThatThrownBy(() -> new SoftmaxRegression.Config(Double.NaN, 10, 0.1)).hasMessageContaining("l2");
    assertThatThrownBy(() -> new SoftmaxRegression.Config(0.1, 0, 0.1)).hasMessageContaining("epochs");
    assertThatThrownBy(() -> new SoftmaxRegression.Config(0.1, 10, Double.POSITIVE_INFINITY)).hasMessageContaining("learningRate");
    SoftmaxRegression m = SoftmaxRegression.train(new double[][] {{0}, {1}}, new int[] {0, 1}, 2,
        SoftmaxRegression.Config.defaults());
    assertThatThrownBy(() -> m.predict(new double[] {1, 2})).hasMessageContaining("expected 1 features");
  }
}

package org.genderalign.taxonomy.model;

import java.util.Arrays;

/**
 * Multinomial logistic regression with standardised inputs, class-balanced weights and an L2
 * penalty, trained by full-batch gradient descent with Adam. Deterministic (zero initial
 * weights, no sampling) and immutable once trained, so {@link #predict} is thread-safe.
 */
public final class SoftmaxRegression {

  /** Training settings; defaults work for a few hundred examples and ~60 features. */
  public record Config(double l2, int epochs, double learningRate) {
    /** L2 penalty on the weights (not the biases). */
    public static final double DEFAULT_L2 = 0.01;
    /** Full-batch steps. */
    public static final int DEFAULT_EPOCHS = 400;
    /** Adam step size. */
    public static final double DEFAULT_LEARNING_RATE = 0.05;

    public Config {
      if (!(l2 >= 0) || Double.isInfinite(l2)) {
        throw new IllegalArgumentException("l2 must be a finite value >= 0, got " + l2);
      }
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
      }
      if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
        throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
      }
    }

    public static Config defaults() {
      return new Config(DEFAULT_L2, DEFAULT_EPOCHS, DEFAULT_LEARNING_RATE);
    }
  }

  private final double[] mean;
  private final double[] scale;
  private final double[][] w; // (C, D)
  private final double[] b; // (C)

  private SoftmaxRegression(double[] mean, double[] scale, double[][] w, double[] b) {
    this.mean = mean;
    this.scale = scale;
    this.w = w;
    this.b = b;
  }

  /**
   * Trains on {@code x} (N, D) with labels {@code y} in [0, classes).
   *
   * @throws IllegalArgumentException for empty or ragged input or labels out of range
   */
  public static SoftmaxRegression train(double[][] x, int[] y, int classes, Config cfg) {
    int n = x.length;
    if (n == 0 || y.length != n) {
      throw new IllegalArgumentException("need matching, non-empty x and y");
    }
    int d = x[0].length;
    double[] mean = new double[d];
    double[] scale = new double[d];
    for (double[] row : x) {
      if (row.length != d) {
        throw new IllegalArgumentException("ragged feature rows");
      }
      for (int j = 0; j < d; j++) {
        mean[j] += row[j] / n;
      }
    }
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
      }
    }
    for (int j = 0; j < d; j++) {
      scale[j] = scale[j] > 1e-12 ? Math.sqrt(scale[j]) : 1.0;
    }
    double[][] z = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        z[i][j] = (x[i][j] - mean[j]) / scale[j];
      }
    }
    // Class-balanced sample weights: every class contributes the same total weight.
    int[] counts = new int[classes];
    for (int label : y) {
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException("label " + label + " out of range [0," + classes + ")");
      }
      counts[label]++;
    }
    double[] sw = new double[n];
    int present = (int) Arrays.stream(counts).filter(c -> c > 0).count();
    for (int i = 0; i < n; i++) {
      sw[i] = (double) n / (present * counts[y[i]]) / n;
    }
    double[][] w = new double[classes][d];
    double[] b = new double[classes];
    double[][] mw = new double[classes][d];
    double[][] vw = new double[classes][d];
    double[] mb = new double[classes];
    double[] vb = new double[classes];
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double[] p = new double[classes];
    for (int t = 1; t <= cfg.epochs(); t++) {
      double[][] gw = new double[classes][d];
      double[] gb = new double[classes];
      for (int i = 0; i < n; i++) {
        probs(w, b, z[i], p);
        for (int c = 0; c < classes; c++) {
          double g = sw[i] * (p[c] - (y[i] == c ? 1 : 0));
          gb[c] += g;
          double[] gwc = gw[c];
          double[] zi = z[i];
          for (int j = 0; j < d; j++) {
            gwc[j] += g * zi[j];
          }
        }
      }
      double c1 = 1 - Math.pow(beta1, t);
      double c2 = 1 - Math.pow(beta2, t);
      for (int c = 0; c < classes; c++) {
        for (int j = 0; j < d; j++) {
          double g = gw[c][j] + cfg.l2() * w[c][j];
          mw[c][j] = beta1 * mw[c][j] + (1 - beta1) * g;
          vw[c][j] = beta2 * vw[c][j] + (1 - beta2) * g * g;
          w[c][j] -= cfg.learningRate() * (mw[c][j] / c1) / (Math.sqrt(vw[c][j] / c2) + eps);
        }
        mb[c] = beta1 * mb[c] + (1 - beta1) * gb[c];
        vb[c] = beta2 * vb[c] + (1 - beta2) * gb[c] * gb[c];
        b[c] -= cfg.learningRate() * (mb[c] / c1) / (Math.sqrt(vb[c] / c2) + eps);
      }
    }
    return new SoftmaxRegression(mean, scale, w, b);
  }

  private static void probs(double[][] w, double[] b, double[] z, double[] out) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < w.length; c++) {
      double s = b[c];
      double[] wc = w[c];
      for (int j = 0; j < z.length; j++) {
        s += wc[j] * z[j];
      }
      out[c] = s;
      max = Math.max(max, s);
    }
    double sum = 0;
    for (int c = 0; c < w.length; c++) {
      out[c] = Math.exp(out[c] - max);
      sum += out[c];
    }
    for (int c = 0; c < w.length; c++) {
      out[c] /= sum;
    }
  }

  /** Class probabilities for one feature row (sums to 1). */
  public double[] predict(double[] x) {
    double[] z = standardise(x);
    double[] p = new double[w.length];
    probs(w, b, z, p);
    return p;
  }

  /** Per-feature contribution w[c][j]·z[j] to class {@code c}'s score, for explanations. */
  public double[] contributions(double[] x, int c) {
    double[] z = standardise(x);
    double[] out = new double[z.length];
    for (int j = 0; j < z.length; j++) {
      out[j] = w[c][j] * z[j];
    }
    return out;
  }

  public int classes() {
    return w.length;
  }

  public int dimension() {
    return mean.length;
  }

  private double[] standardise(double[] x) {
    if (x.length != mean.length) {
      throw new IllegalArgumentException("expected " + mean.length + " features, got " + x.length);
    }
    double[] z = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      z[j] = (x[j] - mean[j]) / scale[j];
    }
    return z;
  }
}

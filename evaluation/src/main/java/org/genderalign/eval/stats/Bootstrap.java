package org.genderalign.eval.stats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.apache.commons.statistics.descriptive.NaNPolicy;
import org.apache.commons.statistics.descriptive.Quantile;
import org.apache.commons.statistics.inference.BinomialTest;

/**
 * Intervals and paired tests for {@link MetricSet}s, reproducible from a seed.
 *
 * <ul>
 *   <li><b>Interval</b>: percentile bootstrap over units — {@code resamples} draws of n units
 *       with replacement, every metric recomputed on each draw (ratios included), the 2.5% and
 *       97.5% quantiles (Commons Statistics, linear interpolation = HF7 = numpy's default) of the
 *       draws that define it. The draws depend only on the seed and n, so every model of a
 *       benchmark sees the same resamples.</li>
 *   <li><b>Paired comparison</b> of a model against a baseline over the units both have: the
 *       difference, its paired-bootstrap interval (the same unit indices drawn for both), and a
 *       two-sided p-value — {@value #MCNEMAR} (binomial test of the discordant outcomes against
 *       1/2, Commons Statistics) for proportions, {@value #PERMUTATION} (each unit's two results
 *       swapped with probability 1/2, the metric difference recomputed; p = (1 + #{|d*| ≥ |d|}) /
 *       (1 + permutations)) for everything else.</li>
 * </ul>
 */
public final class Bootstrap {

  /** Default bootstrap resamples. */
  public static final int DEFAULT_RESAMPLES = 1000;
  /** Default permutations of the paired permutation test. */
  public static final int DEFAULT_PERMUTATIONS = 10_000;
  /** Interval level. */
  public static final double LEVEL = 0.95;
  /** Name of the test for proportions. */
  public static final String MCNEMAR = "exact McNemar";
  /** Name of the test for other metrics. */
  public static final String PERMUTATION = "paired permutation";

  /** Offsets the permutation stream from the bootstrap stream of the same seed. */
  private static final long PERMUTATION_STREAM = 0x9E3779B97F4A7C15L;
  private static final Quantile QUANTILE = Quantile.withDefaults()
      .with(Quantile.EstimationMethod.HF7).with(NaNPolicy.EXCLUDE);

  private final int resamples;
  private final int permutations;
  private final long seed;

  /**
   * @param resamples bootstrap draws (≥ 1,000 is the project's rule; any ≥ 1 is accepted here)
   * @param permutations permutations of the paired permutation test (≥ 1)
   * @param seed the seed every draw derives from
   */
  public Bootstrap(int resamples, int permutations, long seed) {
    if (resamples < 1 || permutations < 1) {
      throw new IllegalArgumentException("resamples and permutations must be >= 1");
    }
    this.resamples = resamples;
    this.permutations = permutations;
    this.seed = seed;
  }

  public int resamples() {
    return resamples;
  }

  public int permutations() {
    return permutations;
  }

  public long seed() {
    return seed;
  }

  /** Every metric of {@code set} with its interval, in the set's order. */
  public <U> Map<String, Estimate> estimate(MetricSet<U> set) {
    List<U> units = set.units();
    int n = units.size();
    List<Metric<U>> metrics = set.metrics();
    double[][] draws = new double[metrics.size()][resamples];
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    List<U> sample = new ArrayList<>(n);
    for (int b = 0; b < resamples; b++) {
      sample.clear();
      for (int i = 0; i < n; i++) {
        sample.add(units.get(rng.nextInt(n)));
      }
      for (int m = 0; m < metrics.size(); m++) {
        draws[m][b] = n == 0 ? Double.NaN : metrics.get(m).value().applyAsDouble(sample);
      }
    }
    Map<String, Estimate> out = new LinkedHashMap<>();
    for (int m = 0; m < metrics.size(); m++) {
      Metric<U> metric = metrics.get(m);
      double[] ci = interval(draws[m]);
      out.put(metric.name(), new Estimate(metric.value().applyAsDouble(units), ci[0], ci[1],
          metric.count().applyAsInt(units)));
    }
    return out;
  }

  /**
   * {@code model} against {@code baseline} on every metric of {@code model}, over the units
   * whose ids both sets hold.
   */
  public <U> Map<String, Comparison> compare(MetricSet<U> model, MetricSet<U> baseline) {
    Map<String, Integer> at = new HashMap<>();
    for (int i = 0; i < baseline.ids().size(); i++) {
      at.put(baseline.ids().get(i), i);
    }
    List<U> a = new ArrayList<>();
    List<U> b = new ArrayList<>();
    for (int i = 0; i < model.ids().size(); i++) {
      Integer j = at.get(model.ids().get(i));
      if (j != null) {
        a.add(model.units().get(i));
        b.add(baseline.units().get(j));
      }
    }
    int n = a.size();
    List<Metric<U>> metrics = model.metrics();
    double[][] draws = new double[metrics.size()][resamples];
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    List<U> sa = new ArrayList<>(n);
    List<U> sb = new ArrayList<>(n);
    for (int r = 0; r < resamples; r++) {
      sa.clear();
      sb.clear();
      for (int i = 0; i < n; i++) {
        int k = rng.nextInt(n);
        sa.add(a.get(k));
        sb.add(b.get(k));
      }
      for (int m = 0; m < metrics.size(); m++) {
        draws[m][r] = n == 0 ? Double.NaN : difference(metrics.get(m), sa, sb);
      }
    }
    Map<String, Comparison> out = new LinkedHashMap<>();
    for (int m = 0; m < metrics.size(); m++) {
      Metric<U> metric = metrics.get(m);
      Metric<U> baseMetric = baseline.metric(metric.name());
      if (baseMetric == null) {
        continue; // e.g. a reward metric the baseline (the reference itself) does not have
      }
      double va = metric.value().applyAsDouble(a);
      double vb = metric.value().applyAsDouble(b);
      double[] ci = interval(draws[m]);
      double p = metric.kind() == Metric.Kind.PROPORTION
          ? mcnemar(metric, a, b)
          : permutation(metric, a, b, seed + PERMUTATION_STREAM, permutations);
      out.put(metric.name(), new Comparison(va, vb, va - vb, ci[0], ci[1], p, metric.test(), n));
    }
    return out;
  }

  private static <U> double difference(Metric<U> m, List<U> a, List<U> b) {
    return m.value().applyAsDouble(a) - m.value().applyAsDouble(b);
  }

  /** The central {@link #LEVEL} percentile interval of the defined draws; NaNs if none. */
  static double[] interval(double[] draws) {
    double lo = (1 - LEVEL) / 2;
    double[] q = QUANTILE.evaluate(draws, lo, 1 - lo);
    return new double[] {q[0], q[1]};
  }

  /**
   * Exact McNemar: the discordant outcomes (a right & b wrong = k, a wrong & b right) as a
   * two-sided binomial test of k successes in the discordant count at 1/2. 1 when nothing is
   * discordant.
   */
  public static <U> double mcnemar(Metric<U> metric, List<U> a, List<U> b) {
    int aOnly = 0;
    int bOnly = 0;
    for (int i = 0; i < a.size(); i++) {
      List<Boolean> x = metric.outcomes().apply(a.get(i));
      List<Boolean> y = metric.outcomes().apply(b.get(i));
      if (x.size() != y.size()) {
        throw new IllegalStateException("metric " + metric.name() + ": unit " + i + " has "
            + x.size() + " outcomes for one model and " + y.size() + " for the other");
      }
      for (int k = 0; k < x.size(); k++) {
        if (x.get(k) && !y.get(k)) {
          aOnly++;
        } else if (!x.get(k) && y.get(k)) {
          bOnly++;
        }
      }
    }
    return mcnemar(aOnly, bOnly);
  }

  /** Exact McNemar p-value from the two discordant counts. */
  public static double mcnemar(int aOnly, int bOnly) {
    if (aOnly + bOnly == 0) {
      return 1.0;
    }
    return BinomialTest.withDefaults().test(aOnly + bOnly, aOnly, 0.5).getPValue();
  }

  /**
   * Paired permutation test: each unit's pair of results swapped with probability 1/2, the
   * difference recomputed; {@code (1 + #{|d*| ≥ |d|}) / (1 + permutations)}. NaN when the
   * observed difference is undefined.
   */
  public static <U> double permutation(Metric<U> metric, List<U> a, List<U> b, long seed,
      int permutations) {
    double observed = Math.abs(difference(metric, a, b));
    if (Double.isNaN(observed)) {
      return Double.NaN;
    }
    // differences within float rounding of the observed one count as "as extreme"
    double tol = 1e-12 * Math.max(1, observed);
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    int n = a.size();
    List<U> pa = new ArrayList<>(n);
    List<U> pb = new ArrayList<>(n);
    int extreme = 0;
    for (int p = 0; p < permutations; p++) {
      pa.clear();
      pb.clear();
      for (int i = 0; i < n; i++) {
        boolean swap = rng.nextBoolean();
        pa.add(swap ? b.get(i) : a.get(i));
        pb.add(swap ? a.get(i) : b.get(i));
      }
      double d = Math.abs(difference(metric, pa, pb));
      if (d >= observed - tol) {
        extreme++;
      }
    }
    return (1.0 + extreme) / (1.0 + permutations);
  }
}

package org.genderalign.eval.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

class BootstrapTest {

  private static MetricSet<Double> means(double[] values, String prefix) {
    List<String> ids = new ArrayList<>();
    List<Double> units = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      ids.add(prefix + i);
      units.add(values[i]);
    }
    return new MetricSet<>("item", ids, units,
        List.of(Metric.mean("mean", "mean", Double::doubleValue),
            Metric.proportion("positive", "share > 0", v -> v > 0)), null, null);
  }

  private static double[] randomValues(long seed, int n) {
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextGaussian() + 0.3;
    }
    return v;
  }

  @Test
  void intervalsAreReproducibleFromTheSeedAndContainTheValue() {
    MetricSet<Double> set = means(randomValues(7, 200), "i");
    Map<String, Estimate> a = new Bootstrap(1000, 100, 42).estimate(set);
    Map<String, Estimate> b = new Bootstrap(1000, 100, 42).estimate(set);
    Map<String, Estimate> c = new Bootstrap(1000, 100, 43).estimate(set);
    assertThat(a).isEqualTo(b);
    assertThat(a.get("mean").ciLow()).isNotEqualTo(c.get("mean").ciLow());
    for (Estimate e : a.values()) {
      assertThat(e.ciLow()).isLessThan(e.value());
      assertThat(e.ciHigh()).isGreaterThan(e.value());
      assertThat(e.n()).isEqualTo(200);
    }
    // a mean of 200 N(0.3, 1) draws: the 95% interval is about ±1.96/sqrt(200) = ±0.14 wide
    Estimate m = a.get("mean");
    assertThat(m.ciHigh() - m.ciLow()).isBetween(0.22, 0.33);
  }

  @Test
  void percentileIntervalMatchesASlowReferenceOfTheSameDraws() {
    double[] v = randomValues(3, 50);
    Estimate e = new Bootstrap(1000, 10, 99).estimate(means(v, "i")).get("mean");
    // the same draws, made here: n indices per resample from the seeded stream
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(99L);
    double[] draws = new double[1000];
    for (int b = 0; b < draws.length; b++) {
      double s = 0;
      for (int i = 0; i < v.length; i++) {
        s += v[rng.nextInt(v.length)];
      }
      draws[b] = s / v.length;
    }
    Arrays.sort(draws);
    // numpy's default (linear) percentile: position p * (n - 1)
    assertThat(e.ciLow()).isCloseTo(linear(draws, 0.025), within(1e-12));
    assertThat(e.ciHigh()).isCloseTo(linear(draws, 0.975), within(1e-12));
  }

  private static double linear(double[] sorted, double p) {
    double pos = p * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    double frac = pos - lo;
    return lo + 1 < sorted.length ? sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
  }

  @Test
  void exactMcNemarMatchesHandComputedBinomialTails() {
    // 8 vs 2 discordant: 2 * P(X <= 2 | 10, 1/2) = 2 * (1 + 10 + 45) / 1024
    assertThat(Bootstrap.mcnemar(8, 2)).isCloseTo(112.0 / 1024, within(1e-12));
    assertThat(Bootstrap.mcnemar(2, 8)).isCloseTo(112.0 / 1024, within(1e-12));
    assertThat(Bootstrap.mcnemar(5, 0)).isCloseTo(2.0 / 32, within(1e-12));
    assertThat(Bootstrap.mcnemar(3, 3)).isEqualTo(1.0);
    assertThat(Bootstrap.mcnemar(0, 0)).isEqualTo(1.0);
  }

  @Test
  void mcnemarCountsOnlyDiscordantOutcomesOfPairedUnits() {
    // model right on 0..9, baseline right on 0..1 and 10..11: discordant 8 vs 2
    List<Boolean> a = new ArrayList<>();
    List<Boolean> b = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      a.add(i < 10);
      b.add(i < 2 || i == 10 || i == 11);
    }
    Metric<Boolean> acc = Metric.proportion("acc", "acc", x -> x);
    assertThat(Bootstrap.mcnemar(acc, a, b)).isCloseTo(112.0 / 1024, within(1e-12));
  }

  @Test
  void permutationTestMatchesExactEnumerationOfSignFlips() {
    double[] a = {1.2, 0.4, 2.0, 1.1, -0.3, 0.9, 1.7, 0.2, 1.4, 0.8};
    double[] b = {0.5, 0.6, 1.1, 0.2, -0.1, 0.3, 0.9, 0.4, 0.6, 0.1};
    Metric<Double> mean = Metric.mean("mean", "mean", Double::doubleValue);
    List<Double> la = Arrays.stream(a).boxed().toList();
    List<Double> lb = Arrays.stream(b).boxed().toList();
    // exact: every one of the 2^10 swap patterns
    double observed = Math.abs(mean(a) - mean(b));
    int extreme = 0;
    for (int mask = 0; mask < 1 << a.length; mask++) {
      double s = 0;
      for (int i = 0; i < a.length; i++) {
        s += ((mask >> i & 1) == 1 ? -1 : 1) * (a[i] - b[i]);
      }
      if (Math.abs(s / a.length) >= observed - 1e-12) {
        extreme++;
      }
    }
    double exact = (double) extreme / (1 << a.length);
    double p = Bootstrap.permutation(mean, la, lb, 5, 20_000);
    assertThat(p).isCloseTo(exact, within(0.01));
    assertThat(exact).isLessThan(0.05); // the toy difference is real
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElseThrow();
  }

  @Test
  void comparisonsPairUnitsByIdAndRecomputeTheDifference() {
    double[] base = randomValues(11, 100);
    double[] model = new double[100];
    for (int i = 0; i < 100; i++) {
      model[i] = base[i] + 0.5;
    }
    MetricSet<Double> b = means(base, "i");
    // the model's units in reverse order, plus one unit the baseline lacks
    List<String> ids = new ArrayList<>();
    List<Double> units = new ArrayList<>();
    for (int i = 99; i >= 0; i--) {
      ids.add("i" + i);
      units.add(model[i]);
    }
    ids.add("extra");
    units.add(1000.0);
    MetricSet<Double> m = new MetricSet<>("item", ids, units, b.metrics(), null, null);
    Comparison c = new Bootstrap(1000, 2000, 1).compare(m, b).get("mean");
    assertThat(c.n()).isEqualTo(100);
    assertThat(c.difference()).isCloseTo(0.5, within(1e-12));
    // every unit moved by exactly 0.5: the paired interval collapses onto it
    assertThat(c.ciLow()).isCloseTo(0.5, within(1e-9));
    assertThat(c.ciHigh()).isCloseTo(0.5, within(1e-9));
    assertThat(c.pValue()).isLessThan(0.001);
    assertThat(c.test()).isEqualTo(Bootstrap.PERMUTATION);
    assertThat(new Bootstrap(1000, 10, 1).compare(m, b).get("positive").test())
        .isEqualTo(Bootstrap.MCNEMAR);
  }

  @Test
  void pearsonFollowsTheProtocolAndIsNaNWithoutVariance() {
    assertThat(Correlation.pearson(new double[] {1, 2, 3}, new double[] {2, 4, 6}))
        .isCloseTo(1.0, within(1e-15));
    assertThat(Correlation.pearson(new double[] {1, 2, 3}, new double[] {3, 2, 1}))
        .isCloseTo(-1.0, within(1e-15));
    // hand: x = 1,2,3,4; y = 1,3,2,4 → Sxy = 4, Sxx = Syy = 5 → 0.8
    assertThat(Correlation.pearson(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4}))
        .isCloseTo(0.8, within(1e-15));
    assertThat(Correlation.pearson(new double[] {1, 1, 1}, new double[] {1, 2, 3})).isNaN();
  }
}

package org.genderalign.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plain words of the summary, from hand-made results files (no model). */
class SummaryTest {

  @TempDir Path tmp;

  /** A results file with one benchmark, one metric, and GenderAlign's comparison with the baseline. */
  private Path results(String name, String metric, double ga, double baseline, double lo, double hi,
      double p) throws Exception {
    String json = """
        {"benchmarks": [{"name": "b", "metrics": [{"name": "%s", "description": "d", "headline": true}],
          "results": {"Base": {"metrics": {"%s": {"value": %s, "ci_low": 0, "ci_high": 1, "n": 10}}},
                      "GenderAlign": {"metrics": {"%s": {"value": %s, "ci_low": 0, "ci_high": 1, "n": 10}}}},
          "comparisons": {"GenderAlign": {"%s": {"value": %s, "baseline_value": %s, "difference": %s,
              "ci_low": %s, "ci_high": %s, "p_value": %s, "n": 10}},
                          "Harmless": {"%s": {"value": %s, "baseline_value": %s, "difference": 0,
              "ci_low": -1, "ci_high": 1, "p_value": 1, "n": 10}}}}]}
        """.formatted(metric, metric, baseline, metric, ga, metric, ga, baseline, ga - baseline, lo,
        hi, p, metric, baseline * 1.3, baseline);
    return Files.writeString(tmp.resolve(name + ".json"), json);
  }

  private Summary.Verdict verdict(String metric, double ga, double base, double lo, double hi,
      double p) throws Exception {
    Path r = results(metric + ga + lo, metric, ga, base, lo, hi, p);
    Summary s = Summary.of(r, r, tmp.resolve("none"), tmp.resolve("none"));
    return s.verdicts().get(0);
  }

  @Test
  void betterMeansNearerTheGoodEndAndNeedsAnIntervalWithoutZeroAndPBelowFivePercent()
      throws Exception {
    assertThat(verdict("acc", 0.6, 0.5, 0.02, 0.18, 0.01).verdict()).isEqualTo("better");
    assertThat(verdict("acc", 0.4, 0.5, -0.18, -0.02, 0.01).verdict()).isEqualTo("worse");
    assertThat(verdict("acc", 0.6, 0.5, -0.01, 0.2, 0.08).verdict())
        .isEqualTo("no significant difference");
    // the interval excludes 0 but the test does not reject: not significant
    assertThat(verdict("acc", 0.6, 0.5, 0.01, 0.2, 0.07).verdict())
        .isEqualTo("no significant difference");
    // bias scores: nearer 0 is better, whatever the sign
    assertThat(verdict("amb_bias_score", -0.05, 0.2, -0.4, -0.1, 0.001).verdict())
        .isEqualTo("better");
    assertThat(verdict("rho", -0.5, 0.2, -0.9, -0.5, 0.001).verdict()).isEqualTo("worse");
    // CrowS-Pairs: 0.5 is unbiased
    assertThat(verdict("pct_stereotype", 0.45, 0.6, -0.25, -0.05, 0.01).verdict())
        .isEqualTo("better");
    assertThat(verdict("pct_stereotype", 0.3, 0.6, -0.45, -0.15, 0.01).verdict())
        .isEqualTo("worse");
    assertThat(verdict("alpaca-heldout.perplexity", 20, 25, -7, -3, 0.001).verdict())
        .isEqualTo("better");
    assertThat(verdict("likelihood_diff", 2, 1, 0.5, 1.5, 0.001).verdict()).isEqualTo("higher");
    Summary.Verdict v = verdict("acc", 0.6, 0.5, 0.02, 0.18, 0.0001);
    assertThat(v.words()).isEqualTo("better (Δ +0.1000, 95% CI [0.0200, 0.1800], p < 0.001, n 10)");
  }

  @Test
  void aPerplexityMoreThanTwentyPercentAboveBasesIsFlagged() throws Exception {
    Path r = results("ppl", "alpaca-heldout.perplexity", 24.2, 20, 2, 6, 0.001);
    Summary s = Summary.of(r, r, tmp.resolve("none"), tmp.resolve("none"));
    // Harmless is 1.3 × Base (flagged), GenderAlign 1.21 × (flagged)
    assertThat(s.perplexity()).extracting(Summary.PerplexityCheck::model, Summary.PerplexityCheck::flagged)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Harmless", true),
            org.assertj.core.groups.Tuple.tuple("GenderAlign", true));
    assertThat(s.markdown()).contains("ROSE MORE THAN 20%");
    Path ok = results("ppl2", "alpaca-heldout.perplexity", 23.9, 20, 2, 6, 0.001);
    Summary s2 = Summary.of(ok, ok, tmp.resolve("none"), tmp.resolve("none"));
    assertThat(s2.perplexity().get(1).flagged()).isFalse();
    assertThat(s2.lines()).anyMatch(l -> l.startsWith("GenderAlign alpaca-heldout.perplexity 23.900 "
        + "vs Base 20.000 (+19.5%): within 20% of Base"));
    s2.write(tmp.resolve("out"));
    assertThat(Summary.read(tmp.resolve("out"))).isEqualTo(s2);
    assertThat(List.of(Files.readString(tmp.resolve("out/summary.md")))).allMatch(m -> m.contains(
        "| b | alpaca-heldout.perplexity |"));
  }
}

package org.genderalign.eval.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Kendall's W, Fleiss' κ and Spearman's ρ on hand-computed cases and against slow references. */
class AgreementTest {

  @Test
  void fractionalRanksShareTheMeanPlaceOfTies() {
    assertThat(Agreement.fractionalRanks(new double[] {10, 30, 20, 30})).containsExactly(1, 3.5, 2,
        3.5);
    assertThat(Agreement.fractionalRanks(new double[] {1, 1, 1})).containsExactly(2, 2, 2);
    // a sheet's "1, 1, 3" and "1, 1, 2" both mean: the first two tie for first
    assertThat(Agreement.fractionalRanks(new double[] {1, 1, 3})).containsExactly(1.5, 1.5, 3);
    assertThat(Agreement.fractionalRanks(new double[] {1, 1, 2})).containsExactly(1.5, 1.5, 3);
  }

  @Test
  void kendallWOnHandComputedCasesWithAndWithoutTies() {
    // perfect agreement
    assertThat(Agreement.kendallW(new double[][] {{1, 2, 3}, {1, 2, 3}})).isEqualTo(1.0);
    // two judges in exactly opposite orders: rank sums all equal, S = 0
    assertThat(Agreement.kendallW(new double[][] {{1, 2, 3}, {3, 2, 1}})).isEqualTo(0.0);
    // R = (3.5, 6.5, 8), mean 6, S = 10.5; ties: judge 3 has one pair, T = 2^3 - 2 = 6;
    // W = 12 * 10.5 / (3^2 * (27 - 3) - 3 * 6) = 126 / 198
    double[][] r = {{1, 2, 3}, {1, 3, 2}, {1.5, 1.5, 3}};
    assertThat(Agreement.kendallW(r)).isCloseTo(126.0 / 198, within(1e-15));
    // R = (5, 2, 5), mean 4, S = 6, W = 72 / (4 * 24) = 0.75
    assertThat(Agreement.kendallW(new double[][] {{2, 1, 3}, {3, 1, 2}})).isEqualTo(0.75);
    // undefined: one judge, or everything tied by everyone
    assertThat(Agreement.kendallW(new double[][] {{1, 2, 3}})).isNaN();
    assertThat(Agreement.kendallW(new double[][] {{1.5, 1.5}, {1.5, 1.5}})).isNaN();
  }

  @Test
  void spearmanOnHandComputedCasesWithTies() {
    assertThat(Agreement.spearman(new double[] {1, 2, 3}, new double[] {1, 3, 2}))
        .isCloseTo(0.5, within(1e-15));
    // x deviations (-1, 0, 1), y (-.5, -.5, 1): 1.5 / sqrt(2 * 1.5)
    assertThat(Agreement.spearman(new double[] {1, 2, 3}, new double[] {1.5, 1.5, 3}))
        .isCloseTo(1.5 / Math.sqrt(3), within(1e-15));
    assertThat(Agreement.spearman(new double[] {1, 3, 2}, new double[] {1.5, 1.5, 3}))
        .isCloseTo(0, within(1e-15));
    assertThat(Agreement.spearman(new double[] {1, 2}, new double[] {2, 1})).isEqualTo(-1.0);
    assertThat(Agreement.spearman(new double[] {1, 2}, new double[] {1.5, 1.5})).isNaN();
  }

  /** Fleiss (1971) as Wikipedia works it: 10 subjects, 14 raters, 5 categories, κ ≈ 0.210. */
  @Test
  void fleissKappaOnWikipediasWorkedExample() {
    List<int[]> t = List.of(new int[] {0, 0, 0, 0, 14}, new int[] {0, 2, 6, 4, 2},
        new int[] {0, 0, 3, 5, 6}, new int[] {0, 3, 9, 2, 0}, new int[] {2, 2, 8, 1, 1},
        new int[] {7, 7, 0, 0, 0}, new int[] {3, 2, 6, 3, 0}, new int[] {2, 5, 3, 2, 2},
        new int[] {6, 5, 2, 1, 0}, new int[] {0, 2, 2, 3, 7});
    // exact rational computation: P̄ = 0.378022, P_e = 0.212755
    assertThat(Agreement.fleissKappa(t)).isCloseTo(0.20993070442195524, within(1e-12));
  }

  @Test
  void fleissKappaWithVaryingRatersAndItsUndefinedCases() {
    // subjects rated by 2, 2 and 3 raters: P = 1, 1, 0; p = (3/7, 3/7, 1/7); P_e = 19/49;
    // κ = (2/3 - 19/49) / (30/49) = 41/90
    List<int[]> t = List.of(new int[] {2, 0, 0}, new int[] {0, 2, 0}, new int[] {1, 1, 1});
    assertThat(Agreement.fleissKappa(t)).isCloseTo(41.0 / 90, within(1e-15));
    // a subject with one rater does not count
    List<int[]> t2 = new ArrayList<>(t);
    t2.add(new int[] {0, 0, 1});
    assertThat(Agreement.fleissKappa(t2)).isCloseTo(41.0 / 90, within(1e-15));
    // everyone always picks the same category: P_e = 1, undefined
    assertThat(Agreement.fleissKappa(List.of(new int[] {3, 0}, new int[] {3, 0}))).isNaN();
    assertThat(Agreement.fleissKappa(List.of())).isNaN();
  }

  /**
   * Random rankings without ties against independent formulas: Spearman's ρ = 1 − 6Σd²/(n(n²−1)),
   * and the mean pairwise ρ of m judges = (mW − 1)/(m − 1).
   */
  @Test
  void randomRankingsAgreeWithTheClassicalIdentities() {
    Random rnd = new Random(11);
    for (int trial = 0; trial < 300; trial++) {
      int k = 2 + rnd.nextInt(6);
      int m = 2 + rnd.nextInt(5);
      double[][] r = new double[m][];
      for (int j = 0; j < m; j++) {
        r[j] = permutation(k, rnd);
      }
      double sum = 0;
      int pairs = 0;
      for (int a = 0; a < m; a++) {
        for (int b = a + 1; b < m; b++) {
          double d2 = 0;
          for (int i = 0; i < k; i++) {
            d2 += (r[a][i] - r[b][i]) * (r[a][i] - r[b][i]);
          }
          double classical = 1 - 6 * d2 / (k * ((double) k * k - 1));
          double rho = Agreement.spearman(r[a], r[b]);
          assertThat(rho).isCloseTo(classical, within(1e-12));
          sum += rho;
          pairs++;
        }
      }
      double w = Agreement.kendallW(r);
      assertThat(sum / pairs).isCloseTo((m * w - 1) / (m - 1), within(1e-12));
      assertThat(w).isBetween(0.0, 1.0 + 1e-12);
    }
  }

  /** Fleiss' κ with equal raters per subject against the textbook formula written out. */
  @Test
  void randomTablesAgreeWithTheTextbookFleissFormula() {
    Random rnd = new Random(5);
    for (int trial = 0; trial < 200; trial++) {
      int subjects = 1 + rnd.nextInt(12);
      int c = 2 + rnd.nextInt(4);
      int n = 2 + rnd.nextInt(6);
      List<int[]> t = new ArrayList<>();
      for (int s = 0; s < subjects; s++) {
        int[] row = new int[c];
        for (int r = 0; r < n; r++) {
          row[rnd.nextInt(c)]++;
        }
        t.add(row);
      }
      double pBar = 0;
      double[] p = new double[c];
      for (int[] row : t) {
        double agree = 0;
        for (int j = 0; j < c; j++) {
          agree += row[j] * (row[j] - 1);
          p[j] += row[j] / (double) (subjects * n);
        }
        pBar += agree / (n * (n - 1.0)) / subjects;
      }
      double pe = 0;
      for (double v : p) {
        pe += v * v;
      }
      double expected = 1 - pe < 1e-12 ? Double.NaN : (pBar - pe) / (1 - pe);
      double got = Agreement.fleissKappa(t);
      if (Double.isNaN(expected)) {
        assertThat(got).isNaN();
      } else {
        assertThat(got).isCloseTo(expected, within(1e-12));
      }
    }
  }

  private static double[] permutation(int k, Random rnd) {
    double[] r = new double[k];
    for (int i = 0; i < k; i++) {
      r[i] = i + 1;
    }
    for (int i = k - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      double t = r[i];
      r[i] = r[j];
      r[j] = t;
    }
    return r;
  }
}

package org.genderalign.eval.agreement;

import java.util.Arrays;
import java.util.List;
import org.genderalign.eval.stats.Correlation;

/**
 * Agreement between judges who rank the same objects (here: the k answers to one question).
 * Ranks are fractional: tied objects share the mean of their places (1, 2.5, 2.5, 4).
 *
 * <ul>
 *   <li>{@link #kendallW}: Kendall's coefficient of concordance of m rankings of k objects,
 *       with the tie correction — {@code W = 12 S / (m²(k³ − k) − m Σ T)}, where
 *       {@code S = Σ_i (R_i − m(k+1)/2)²} over the objects' rank sums {@code R_i} and
 *       {@code T = Σ (t³ − t)} over each judge's groups of t tied objects. 1 = all judges agree,
 *       0 = no agreement beyond chance. NaN when the denominator is 0 (every judge ties
 *       everything) or m &lt; 2.</li>
 *   <li>{@link #spearman}: Spearman's ρ of two rankings = Pearson's correlation of their
 *       (fractional) ranks; NaN when either ranking ties everything.</li>
 *   <li>{@link #fleissKappa}: Fleiss' κ for subjects rated into categories by possibly varying
 *       numbers of raters ({@code n_i ≥ 2}; subjects with fewer are skipped):
 *       {@code P_i = (Σ_j n_ij² − n_i) / (n_i (n_i − 1))}, {@code P̄} their mean,
 *       {@code p_j = Σ_i n_ij / Σ_i n_i}, {@code P_e = Σ_j p_j²},
 *       {@code κ = (P̄ − P_e) / (1 − P_e)} — with equal {@code n_i} exactly Fleiss (1971). NaN
 *       when {@code P_e = 1} or no subject counts.</li>
 * </ul>
 * Without ties, the mean pairwise Spearman ρ of m judges equals {@code (mW − 1)/(m − 1)}; the
 * tests use this identity against independent computations.
 */
public final class Agreement {

  private Agreement() {}

  /**
   * Fractional ranks of {@code values}, ascending: the smallest gets 1; tied values share the
   * mean of their places.
   */
  public static double[] fractionalRanks(double[] values) {
    int n = values.length;
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Double.compare(values[a], values[b]));
    double[] ranks = new double[n];
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && values[idx[j + 1]] == values[idx[i]]) {
        j++;
      }
      double mean = (i + j) / 2.0 + 1;
      for (int t = i; t <= j; t++) {
        ranks[idx[t]] = mean;
      }
      i = j + 1;
    }
    return ranks;
  }

  /**
   * Kendall's W of {@code ranks[judge][object]} (fractional ranks 1..k of each judge's
   * ranking), tie-corrected.
   */
  public static double kendallW(double[][] ranks) {
    int m = ranks.length;
    if (m < 2) {
      return Double.NaN;
    }
    int k = ranks[0].length;
    double[] sums = new double[k];
    double ties = 0;
    for (double[] r : ranks) {
      if (r.length != k) {
        throw new IllegalArgumentException("every judge must rank the same " + k + " objects");
      }
      for (int i = 0; i < k; i++) {
        sums[i] += r[i];
      }
      ties += tieTerm(r);
    }
    double mean = m * (k + 1) / 2.0;
    double s = 0;
    for (double v : sums) {
      s += (v - mean) * (v - mean);
    }
    double denominator = (double) m * m * ((double) k * k * k - k) - m * ties;
    return denominator == 0 ? Double.NaN : 12 * s / denominator;
  }

  /** {@code Σ (t³ − t)} over the groups of t equal ranks of one ranking. */
  static double tieTerm(double[] r) {
    double[] sorted = r.clone();
    Arrays.sort(sorted);
    double sum = 0;
    int i = 0;
    while (i < sorted.length) {
      int j = i;
      while (j + 1 < sorted.length && sorted[j + 1] == sorted[i]) {
        j++;
      }
      double t = j - i + 1;
      sum += t * t * t - t;
      i = j + 1;
    }
    return sum;
  }

  /** Spearman's ρ of two rankings of the same objects (Pearson's r of the ranks). */
  public static double spearman(double[] ranksA, double[] ranksB) {
    return Correlation.pearson(ranksA, ranksB);
  }

  /**
   * Fleiss' κ of {@code counts[subject][category]} (how many raters put the subject in the
   * category); subjects rated by fewer than two raters are skipped.
   */
  public static double fleissKappa(List<int[]> counts) {
    if (counts.isEmpty()) {
      return Double.NaN;
    }
    int c = counts.get(0).length;
    double[] perCategory = new double[c];
    double total = 0;
    double sumP = 0;
    int subjects = 0;
    for (int[] row : counts) {
      if (row.length != c) {
        throw new IllegalArgumentException("every subject needs " + c + " category counts");
      }
      long n = 0;
      long sq = 0;
      for (int v : row) {
        n += v;
        sq += (long) v * v;
      }
      if (n < 2) {
        continue;
      }
      sumP += (double) (sq - n) / (n * (n - 1));
      subjects++;
      for (int j = 0; j < c; j++) {
        perCategory[j] += row[j];
      }
      total += n;
    }
    if (subjects == 0) {
      return Double.NaN;
    }
    double pBar = sumP / subjects;
    double pe = 0;
    for (double v : perCategory) {
      double p = v / total;
      pe += p * p;
    }
    return 1 - pe < 1e-12 ? Double.NaN : (pBar - pe) / (1 - pe);
  }
}

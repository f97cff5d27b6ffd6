package org.genderalign.taxonomy;

import org.genderalign.taxonomy.model.SoftmaxRegression;

/**
 * Settings of {@link DefaultBiasClassifier}, validated when built.
 *
 * @param neighbours how many nearest exemplars feed each label distribution (BM25 top-k)
 * @param neighboursShown how many of them an {@link Explanation} lists
 * @param regression the logistic regression's training settings
 * @param noneLogOddsShift added to the log-score of {@code none} before normalising; positive
 *     values make the classifier more reluctant to call an answer biased
 * @param seed seed for the cross-validation fold assignment
 */
public record ClassifierConfig(int neighbours, int neighboursShown,
    SoftmaxRegression.Config regression, double noneLogOddsShift, long seed) {

  /** BM25 neighbours per query: enough to smooth over single odd exemplars. */
  public static final int DEFAULT_NEIGHBOURS = 10;
  /** Neighbours shown in an explanation. */
  public static final int DEFAULT_NEIGHBOURS_SHOWN = 3;
  /** No shift: the regression's class-balanced probabilities are used as they are. */
  public static final double DEFAULT_NONE_LOG_ODDS_SHIFT = 0.0;
  /** Fold seed. */
  public static final long DEFAULT_SEED = 42L;

  public ClassifierConfig {
    if (neighbours < 1) {
      throw new IllegalArgumentException("neighbours must be >= 1, got " + neighbours);
    }
    if (neighboursShown < 0 || neighboursShown > neighbours) {
      throw new IllegalArgumentException("neighboursShown must be in [0, neighbours], got " + neighboursShown);
    }
    if (regression == null) {
      throw new IllegalArgumentException("regression config is required");
    }
    if (!Double.isFinite(noneLogOddsShift)) {
      throw new IllegalArgumentException("noneLogOddsShift must be finite");
    }
  }

  public static ClassifierConfig defaults() {
    return new ClassifierConfig(DEFAULT_NEIGHBOURS, DEFAULT_NEIGHBOURS_SHOWN,
        SoftmaxRegression.Config.defaults(), DEFAULT_NONE_LOG_ODDS_SHIFT, DEFAULT_SEED);
  }

  public ClassifierConfig withNeighbours(int k) {
    return new ClassifierConfig(k, Math.min(neighboursShown, k), regression, noneLogOddsShift, seed);
  }

  public ClassifierConfig withNoneLogOddsShift(double shift) {
    return new ClassifierConfig(neighbours, neighboursShown, regression, shift, seed);
  }

  public ClassifierConfig withSeed(long newSeed) {
    return new ClassifierConfig(neighbours, neighboursShown, regression, noneLogOddsShift, newSeed);
  }
}

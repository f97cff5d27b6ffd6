package org.genderalign.core.dataset;

/**
 * How a {@link ShortcutAudit} samples and measures, and the thresholds past which it warns. Null
 * fields take the documented defaults (so a JSON config names only what it changes); every value
 * is validated here.
 *
 * <p>The default thresholds are what a data set should meet so that a DPO model cannot lower its
 * loss by a surface shortcut instead of the preference itself. For reference, the real GenderAlign
 * release sample ({@code GenderAlign.partial-101.json}) has the longer answer chosen in 41% of
 * pairs, a median chosen/rejected word ratio of 0.86, every answer distinct, distinct-2 of
 * 0.66 (chosen) and 0.74 (rejected) and its most common 4-gram in 15% (chosen) and 12%
 * (rejected) of the answers.
 *
 * @param sampleSize pairs per diversity sample (distinct-n and 4-grams are measured on samples of
 *     this many pairs, so that sets of different sizes compare; the release sample has 101)
 * @param samples how many seeded samples the diversity figures are averaged over
 * @param sampleSeed seed of the samples
 * @param maxLength the token budget a pair must fit: prompt + the longer answer, with the
 *     trainer's special tokens
 * @param topFourGrams how many of the most frequent 4-grams the artefact figures look at
 * @param minLongerChosenShare warn when the longer answer is chosen in fewer pairs than this
 * @param maxLongerChosenShare warn when the longer answer is chosen in more pairs than this
 * @param minMedianLengthRatio warn when the median chosen/rejected word ratio is below this
 * @param maxMedianLengthRatio warn when the median chosen/rejected word ratio is above this
 * @param minDistinctShare warn when fewer than this share of the answers of a side are distinct
 * @param minDistinct2 warn when a side's distinct-2 (on the samples) is below this
 * @param maxTopFourGramShare warn when the most common 4-gram of a side occurs in more than this
 *     share of its answers (a template artefact)
 * @param maxOverLengthShare warn when more than this share of the pairs exceeds {@code maxLength}
 */
public record AuditSettings(
    Integer sampleSize,
    Integer samples,
    Long sampleSeed,
    Integer maxLength,
    Integer topFourGrams,
    Double minLongerChosenShare,
    Double maxLongerChosenShare,
    Double minMedianLengthRatio,
    Double maxMedianLengthRatio,
    Double minDistinctShare,
    Double minDistinct2,
    Double maxTopFourGramShare,
    Double maxOverLengthShare) {

  /** The size of the release sample, so that its diversity is measured on all of it. */
  public static final int DEFAULT_SAMPLE_SIZE = 101;
  /** Ten samples make the mean distinct-2 of an 8k set stable to about ±0.005. */
  public static final int DEFAULT_SAMPLES = 10;
  public static final long DEFAULT_SAMPLE_SEED = 0L;
  /** The {@code run} command's DPO max length (the trainer's own default is 512). */
  public static final int DEFAULT_MAX_LENGTH = 256;
  public static final int DEFAULT_TOP_FOUR_GRAMS = 20;
  public static final double DEFAULT_MIN_LONGER_CHOSEN_SHARE = 0.35;
  public static final double DEFAULT_MAX_LONGER_CHOSEN_SHARE = 0.65;
  public static final double DEFAULT_MIN_MEDIAN_LENGTH_RATIO = 0.7;
  public static final double DEFAULT_MAX_MEDIAN_LENGTH_RATIO = 1.4;
  public static final double DEFAULT_MIN_DISTINCT_SHARE = 0.95;
  public static final double DEFAULT_MIN_DISTINCT_2 = 0.45;
  /** The release's most common 4-grams reach 15% and 12%; a quarter means a repeated template. */
  public static final double DEFAULT_MAX_TOP_FOUR_GRAM_SHARE = 0.25;
  public static final double DEFAULT_MAX_OVER_LENGTH_SHARE = 0.01;

  public AuditSettings {
    sampleSize = sampleSize == null ? DEFAULT_SAMPLE_SIZE : sampleSize;
    samples = samples == null ? DEFAULT_SAMPLES : samples;
    sampleSeed = sampleSeed == null ? DEFAULT_SAMPLE_SEED : sampleSeed;
    maxLength = maxLength == null ? DEFAULT_MAX_LENGTH : maxLength;
    topFourGrams = topFourGrams == null ? DEFAULT_TOP_FOUR_GRAMS : topFourGrams;
    minLongerChosenShare = or(minLongerChosenShare, DEFAULT_MIN_LONGER_CHOSEN_SHARE);
    maxLongerChosenShare = or(maxLongerChosenShare, DEFAULT_MAX_LONGER_CHOSEN_SHARE);
    minMedianLengthRatio = or(minMedianLengthRatio, DEFAULT_MIN_MEDIAN_LENGTH_RATIO);
    maxMedianLengthRatio = or(maxMedianLengthRatio, DEFAULT_MAX_MEDIAN_LENGTH_RATIO);
    minDistinctShare = or(minDistinctShare, DEFAULT_MIN_DISTINCT_SHARE);
    minDistinct2 = or(minDistinct2, DEFAULT_MIN_DISTINCT_2);
    maxTopFourGramShare = or(maxTopFourGramShare, DEFAULT_MAX_TOP_FOUR_GRAM_SHARE);
    maxOverLengthShare = or(maxOverLengthShare, DEFAULT_MAX_OVER_LENGTH_SHARE);
    check(sampleSize >= 2 && sampleSize <= 100_000, "sampleSize", "must be 2..100000, got " + sampleSize);
    check(samples >= 1 && samples <= 1000, "samples", "must be 1..1000, got " + samples);
    check(maxLength >= 2, "maxLength", "must be at least 2, got " + maxLength);
    check(topFourGrams >= 1 && topFourGrams <= 1000, "topFourGrams", "must be 1..1000, got " + topFourGrams);
    share("minLongerChosenShare", minLongerChosenShare);
    share("maxLongerChosenShare", maxLongerChosenShare);
    check(minLongerChosenShare <= maxLongerChosenShare, "minLongerChosenShare",
        "must be ≤ maxLongerChosenShare (" + maxLongerChosenShare + "), got " + minLongerChosenShare);
    check(minMedianLengthRatio > 0 && minMedianLengthRatio <= maxMedianLengthRatio
        && Double.isFinite(maxMedianLengthRatio), "minMedianLengthRatio",
        "must be > 0 and ≤ maxMedianLengthRatio (" + maxMedianLengthRatio + "), got " + minMedianLengthRatio);
    share("minDistinctShare", minDistinctShare);
    share("minDistinct2", minDistinct2);
    share("maxTopFourGramShare", maxTopFourGramShare);
    share("maxOverLengthShare", maxOverLengthShare);
  }

  /** The defaults. */
  public static AuditSettings defaults() {
    return new AuditSettings(null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** These settings with another token budget. */
  public AuditSettings withMaxLength(int length) {
    return new AuditSettings(sampleSize, samples, sampleSeed, length, topFourGrams, minLongerChosenShare,
        maxLongerChosenShare, minMedianLengthRatio, maxMedianLengthRatio, minDistinctShare, minDistinct2,
        maxTopFourGramShare, maxOverLengthShare);
  }

  private static double or(Double v, double def) {
    return v == null ? def : v;
  }

  private static void share(String field, double v) {
    check(v >= 0 && v <= 1, field, "must be in [0, 1], got " + v);
  }

  private static void check(boolean ok, String field, String problem) {
    if (!ok) {
      throw new IllegalArgumentException("audit." + field + ": " + problem);
    }
  }
}

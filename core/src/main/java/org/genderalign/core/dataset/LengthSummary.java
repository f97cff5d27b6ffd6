package org.genderalign.core.dataset;

import java.util.Arrays;

/**
 * Distribution of text lengths in words (whitespace-separated tokens, a model-independent proxy
 * for tokens). Percentiles use the nearest-rank method on the sorted lengths, so every value
 * is an observed length: the median of {@code [1, 2, 3, 4]} is 2, its p90 is 4.
 *
 * @param count number of texts
 * @param min shortest
 * @param median nearest-rank 50th percentile
 * @param p90 nearest-rank 90th percentile
 * @param max longest
 * @param mean arithmetic mean (0 when empty)
 */
public record LengthSummary(long count, int min, int median, int p90, int max, double mean) {

  /** The summary of {@code lengths} (the array is sorted in place). */
  public static LengthSummary of(int[] lengths) {
    if (lengths.length == 0) {
      return new LengthSummary(0, 0, 0, 0, 0, 0.0);
    }
    Arrays.sort(lengths);
    long sum = 0;
    for (int l : lengths) {
      sum += l;
    }
    return new LengthSummary(lengths.length, lengths[0], percentile(lengths, 50), percentile(lengths, 90),
        lengths[lengths.length - 1], (double) sum / lengths.length);
  }

  /** Nearest-rank percentile of sorted values: the value at rank ceil(p/100 · n). */
  static int percentile(int[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  /** Number of whitespace-separated words in {@code s}. */
  public static int words(String s) {
    int n = 0;
    boolean in = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      boolean ws = Character.isWhitespace(cp) || Character.isSpaceChar(cp);
      if (!ws && !in) {
        n++;
      }
      in = !ws;
      i += Character.charCount(cp);
    }
    return n;
  }
}

package org.genderalign.builder.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Word shingles of a text as sorted, distinct 64-bit hashes, and their exact Jaccard similarity. */
public final class Shingles {

  private Shingles() {}

  /** Lower-cased letter/digit tokens. */
  public static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    for (String t : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")) {
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  /**
   * Hashes of the word {@code n}-grams (a text shorter than {@code n} words is one shingle), sorted
   * and distinct.
   */
  public static long[] of(String text, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("shingle size must be at least 1 word, got " + n);
    }
    List<String> toks = tokens(text);
    if (toks.isEmpty()) {
      return new long[0];
    }
    int count = Math.max(1, toks.size() - n + 1);
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      StringBuilder sb = new StringBuilder();
      for (int j = i; j < Math.min(toks.size(), i + n); j++) {
        sb.append(toks.get(j)).append(' ');
      }
      out[i] = Rng.hash64(sb.toString());
    }
    Arrays.sort(out);
    return Arrays.stream(out).distinct().toArray();
  }

  /** |a ∩ b| / |a ∪ b| of two sorted distinct arrays; 1 for two empty sets. */
  public static double jaccard(long[] a, long[] b) {
    if (a.length == 0 && b.length == 0) {
      return 1.0;
    }
    int i = 0;
    int j = 0;
    int inter = 0;
    while (i < a.length && j < b.length) {
      if (a[i] == b[j]) {
        inter++;
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    return (double) inter / (a.length + b.length - inter);
  }
}

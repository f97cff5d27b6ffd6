package org.genderalign.builder.text;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Diversity of a collection of texts: distinct-n and the share of the most common text. */
public final class Diversity {

  private Diversity() {}

  /**
   * @param distinct1 distinct unigrams / all unigrams
   * @param distinct2 distinct bigrams / all bigrams
   * @param distinct3 distinct trigrams / all trigrams
   * @param distinctTexts number of distinct texts
   * @param topShare share of the most common text
   */
  public record Stats(double distinct1, double distinct2, double distinct3, int distinctTexts, double topShare) {}

  public static Stats of(Collection<String> texts) {
    Map<String, Integer> counts = new HashMap<>();
    long[] total = new long[3];
    List<Set<Long>> seen = List.of(new HashSet<>(), new HashSet<>(), new HashSet<>());
    for (String t : texts) {
      counts.merge(t, 1, Integer::sum);
      List<String> toks = Shingles.tokens(t);
      for (int n = 1; n <= 3; n++) {
        for (int i = 0; i + n <= toks.size(); i++) {
          total[n - 1]++;
          seen.get(n - 1).add(Rng.hash64(String.join(" ", toks.subList(i, i + n))));
        }
      }
    }
    int top = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    return new Stats(ratio(seen.get(0).size(), total[0]), ratio(seen.get(1).size(), total[1]),
        ratio(seen.get(2).size(), total[2]), counts.size(), texts.isEmpty() ? 0 : (double) top / texts.size());
  }

  private static double ratio(long a, long b) {
    return b == 0 ? 0 : (double) a / b;
  }
}

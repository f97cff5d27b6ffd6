package org.genderalign.core.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import org.genderalign.core.data.PreferencePair;

/**
 * The surface shortcuts a preference data set offers a DPO model: if the chosen answer is
 * nearly always the longer one, or the answers repeat a few templates, a model can lower its
 * loss by preferring long or templated text instead of learning the preference itself. The audit
 * measures, for any pair file:
 *
 * <ul>
 *   <li><b>length</b>: the share of pairs whose chosen answer has more words than the rejected
 *       one (ties counted apart), and the quantiles of the chosen/rejected word ratio;</li>
 *   <li><b>distinct answers</b> per side (exact text);</li>
 *   <li><b>diversity at a fixed sample size</b>: distinct-1/2 and the 4-gram artefact figures
 *       are measured on {@link AuditSettings#samples()} seeded samples of
 *       {@link AuditSettings#sampleSize()} pairs and averaged, so a 101-pair file and an 8k
 *       file compare (distinct-n falls as a set grows);</li>
 *   <li><b>template artefacts</b>: the share of 4-gram occurrences taken by the most frequent
 *       {@link AuditSettings#topFourGrams()} 4-grams, the share of answers containing one of
 *       the {@code topFourGrams} 4-grams found in most answers, and the share of answers
 *       containing the single most common one;</li>
 *   <li><b>length budget</b>: the share of pairs whose prompt + longer answer exceeds
 *       {@link AuditSettings#maxLength()} tokens, when a token counter is given (core knows no
 *       tokenizer, so the caller passes one).</li>
 * </ul>
 *
 * <p>Definitions (a test re-implements them on the release sample): a <i>word</i> is a maximal
 * run of non-whitespace characters of the answer text ({@link LengthSummary#words}), the answer
 * being the assistant turn alone (the formats' readers strip the {@code Human:/Assistant:}
 * wrappers); n-grams are taken within one answer over its lower-cased (Locale.ROOT) words;
 * distinct-n = distinct n-grams / all n-grams of one side of a sample. Sample {@code j} (0-based)
 * holds the {@code sampleSize} pairs with the smallest keys {@code splitmix64(splitmix64(sampleSeed
 * + j) + i)} compared unsigned, {@code i} the 0-based index of the pair in the file; a file of at
 * most {@code sampleSize} pairs is its own sample. Quantiles are nearest-rank.
 *
 * @param pairs number of pairs
 * @param chosenLonger pairs whose chosen answer has more words
 * @param rejectedLonger pairs whose rejected answer has more words
 * @param ties pairs whose answers have as many words
 * @param lengthRatio quantiles of words(chosen) / words(rejected)
 * @param chosen the chosen side
 * @param rejected the rejected side
 * @param sampleSize pairs per diversity sample (the whole file when smaller)
 * @param samples number of samples averaged
 * @param tokens the length-budget figures, or null when no token counter was given
 */
public record ShortcutAudit(
    long pairs,
    long chosenLonger,
    long rejectedLonger,
    long ties,
    Quantiles lengthRatio,
    Side chosen,
    Side rejected,
    int sampleSize,
    int samples,
    Tokens tokens) {

  /**
   * Nearest-rank quantiles of a ratio.
   *
   * @param undefined pairs left out because the denominator was 0
   */
  public record Quantiles(double p10, double p25, double p50, double p75, double p90, long undefined) {}

  /**
   * One side's figures.
   *
   * @param words length distribution in words
   * @param distinct distinct answer texts
   * @param distinctShare distinct / pairs
   * @param distinct1 distinct-1 on the samples (mean)
   * @param distinct2 distinct-2 on the samples (mean)
   * @param topFourGramMass share of 4-gram occurrences taken by the most frequent
   *     {@code topFourGrams} 4-grams (mean over samples)
   * @param anyTopFourGramShare share of answers containing one of the {@code topFourGrams}
   *     4-grams found in most answers (mean over samples)
   * @param topFourGramShare share of answers containing the 4-gram found in most answers (mean
   *     over samples)
   * @param commonFourGrams the five 4-grams found in most answers of the union of the samples,
   *     with the share of those answers
   */
  public record Side(LengthSummary words, long distinct, double distinctShare, double distinct1, double distinct2,
      double topFourGramMass, double anyTopFourGramShare, double topFourGramShare, List<FourGram> commonFourGrams) {}

  /** A 4-gram (words joined by one space) and the share of answers that contain it. */
  public record FourGram(String gram, double share) {}

  /**
   * The length budget.
   *
   * @param maxLength the budget in tokens
   * @param over pairs whose prompt + longer answer exceeds it
   * @param lengths distribution of prompt + longer answer, in tokens
   */
  public record Tokens(int maxLength, long over, LengthSummary lengths) {
    public double overShare(long pairs) {
      return pairs == 0 ? 0 : (double) over / pairs;
    }
  }

  /** Share of pairs whose chosen answer is the longer one (0 when empty). */
  public double longerChosenShare() {
    return pairs == 0 ? 0 : (double) chosenLonger / pairs;
  }

  /** Share of pairs whose answers are equally long. */
  public double tieShare() {
    return pairs == 0 ? 0 : (double) ties / pairs;
  }

  /** Share of pairs over the token budget, or NaN when tokens were not counted. */
  public double overLengthShare() {
    return tokens == null ? Double.NaN : tokens.overShare(pairs);
  }

  /** The audit of all pairs (no token counting). */
  public static ShortcutAudit of(Iterable<PreferencePair> pairs, AuditSettings settings) {
    return of(pairs, settings, null);
  }

  /**
   * The audit of all pairs.
   *
   * @param pairTokens tokens of a pair's longest training sequence (prompt + the longer answer,
   *     special tokens included), or null to skip the length budget
   */
  public static ShortcutAudit of(Iterable<PreferencePair> pairs, AuditSettings settings,
      ToIntFunction<PreferencePair> pairTokens) {
    Accumulator a = new Accumulator(settings, pairTokens);
    for (PreferencePair p : pairs) {
      a.add(p);
    }
    return a.build();
  }

  /**
   * The shortcuts that cross a threshold of {@code s}, one readable line each (empty when the
   * set passes).
   */
  public List<String> warnings(AuditSettings s) {
    List<String> w = new ArrayList<>();
    if (pairs == 0) {
      return w;
    }
    double longer = longerChosenShare();
    if (longer < s.minLongerChosenShare() || longer > s.maxLongerChosenShare()) {
      w.add(String.format(Locale.ROOT, "length shortcut: the longer answer is the chosen one in %.1f%% of pairs "
          + "(expected %.0f%%–%.0f%%)", 100 * longer, 100 * s.minLongerChosenShare(), 100 * s.maxLongerChosenShare()));
    }
    double ratio = lengthRatio.p50();
    if (ratio < s.minMedianLengthRatio() || ratio > s.maxMedianLengthRatio()) {
      w.add(String.format(Locale.ROOT, "length shortcut: the median chosen/rejected word ratio is %.2f "
          + "(expected %.2f–%.2f)", ratio, s.minMedianLengthRatio(), s.maxMedianLengthRatio()));
    }
    side(w, "chosen", chosen, s);
    side(w, "rejected", rejected, s);
    if (tokens != null && tokens.overShare(pairs) > s.maxOverLengthShare()) {
      w.add(String.format(Locale.ROOT, "length budget: %d of %d pairs (%.1f%%) exceed %d tokens and would be "
          + "truncated (expected at most %.1f%%)", tokens.over(), pairs, 100 * tokens.overShare(pairs),
          tokens.maxLength(), 100 * s.maxOverLengthShare()));
    }
    return w;
  }

  private void side(List<String> w, String name, Side d, AuditSettings s) {
    if (d.distinctShare() < s.minDistinctShare()) {
      w.add(String.format(Locale.ROOT, "repetition: only %d of %d %s answers (%.1f%%) are distinct (expected ≥ %.0f%%)",
          d.distinct(), pairs, name, 100 * d.distinctShare(), 100 * s.minDistinctShare()));
    }
    if (d.distinct2() < s.minDistinct2()) {
      w.add(String.format(Locale.ROOT, "low diversity: distinct-2 of the %s answers is %.3f on %d-pair samples "
          + "(expected ≥ %.2f)", name, d.distinct2(), sampleSize, s.minDistinct2()));
    }
    if (d.topFourGramShare() > s.maxTopFourGramShare()) {
      String gram = d.commonFourGrams().isEmpty() ? "" : " (e.g. '" + d.commonFourGrams().get(0).gram() + "')";
      w.add(String.format(Locale.ROOT, "template artefact: the most common 4-gram%s occurs in %.1f%% of the %s "
          + "answers (expected ≤ %.0f%%)", gram, 100 * d.topFourGramShare(), name, 100 * s.maxTopFourGramShare()));
    }
  }

  /** Adds pairs one at a time (streaming: lengths, hashes and the sampled pairs are kept). */
  public static final class Accumulator {
    private final AuditSettings settings;
    private final ToIntFunction<PreferencePair> pairTokens;
    private int[] chosenWords = new int[1024];
    private int[] rejectedWords = new int[1024];
    private int[] tokenLengths = new int[1024];
    private int n;
    private long over;
    private final Set<DatasetStats.Key> chosenTexts = new HashSet<>();
    private final Set<DatasetStats.Key> rejectedTexts = new HashSet<>();
    private final List<PriorityQueue<Sampled>> reservoirs = new ArrayList<>();
    private final long[] sampleSeeds;

    /** A sampled pair (largest key first, so the head is the one to evict). */
    private record Sampled(long key, int index, String chosen, String rejected) {}

    private static final Comparator<Sampled> LARGEST_FIRST =
        Comparator.comparing(Sampled::key, Long::compareUnsigned).thenComparingInt(Sampled::index).reversed();

    public Accumulator(AuditSettings settings, ToIntFunction<PreferencePair> pairTokens) {
      this.settings = settings;
      this.pairTokens = pairTokens;
      sampleSeeds = new long[settings.samples()];
      for (int j = 0; j < sampleSeeds.length; j++) {
        sampleSeeds[j] = splitmix64(settings.sampleSeed() + j);
        reservoirs.add(new PriorityQueue<>(LARGEST_FIRST));
      }
    }

    /** Counts one pair. */
    public void add(PreferencePair p) {
      if (n == chosenWords.length) {
        chosenWords = Arrays.copyOf(chosenWords, n * 2);
        rejectedWords = Arrays.copyOf(rejectedWords, n * 2);
        tokenLengths = Arrays.copyOf(tokenLengths, n * 2);
      }
      chosenWords[n] = LengthSummary.words(p.chosen());
      rejectedWords[n] = LengthSummary.words(p.rejected());
      if (pairTokens != null) {
        tokenLengths[n] = pairTokens.applyAsInt(p);
        if (tokenLengths[n] > settings.maxLength()) {
          over++;
        }
      }
      chosenTexts.add(DatasetStats.Key.of(p.chosen()));
      rejectedTexts.add(DatasetStats.Key.of(p.rejected()));
      for (int j = 0; j < sampleSeeds.length; j++) {
        PriorityQueue<Sampled> q = reservoirs.get(j);
        long key = splitmix64(sampleSeeds[j] + n);
        if (q.size() < settings.sampleSize()) {
          q.add(new Sampled(key, n, p.chosen(), p.rejected()));
        } else if (LARGEST_FIRST.compare(new Sampled(key, n, null, null), q.peek()) > 0) {
          q.poll();
          q.add(new Sampled(key, n, p.chosen(), p.rejected()));
        }
      }
      n++;
    }

    /** The audit of the pairs added so far. */
    public ShortcutAudit build() {
      long chosenLonger = 0;
      long rejectedLonger = 0;
      long ties = 0;
      double[] ratios = new double[n];
      int defined = 0;
      for (int i = 0; i < n; i++) {
        int c = chosenWords[i];
        int r = rejectedWords[i];
        if (c > r) {
          chosenLonger++;
        } else if (r > c) {
          rejectedLonger++;
        } else {
          ties++;
        }
        if (r > 0) {
          ratios[defined++] = (double) c / r;
        }
      }
      double[] sorted = Arrays.copyOf(ratios, defined);
      Arrays.sort(sorted);
      Quantiles q = new Quantiles(quantile(sorted, 10), quantile(sorted, 25), quantile(sorted, 50),
          quantile(sorted, 75), quantile(sorted, 90), n - defined);
      // Samples in index order, so that the result does not depend on heap order.
      List<List<Sampled>> samples = new ArrayList<>();
      Map<Integer, Sampled> union = new TreeMap<>();
      for (PriorityQueue<Sampled> r : reservoirs) {
        List<Sampled> s = new ArrayList<>(r);
        s.sort(Comparator.comparingInt(Sampled::index));
        samples.add(s);
        s.forEach(x -> union.put(x.index(), x));
      }
      Side chosen = side(Arrays.copyOf(chosenWords, n), chosenTexts.size(), samples, union, true);
      Side rejected = side(Arrays.copyOf(rejectedWords, n), rejectedTexts.size(), samples, union, false);
      Tokens tokens = pairTokens == null ? null
          : new Tokens(settings.maxLength(), over, LengthSummary.of(Arrays.copyOf(tokenLengths, n)));
      return new ShortcutAudit(n, chosenLonger, rejectedLonger, ties, q, chosen, rejected,
          Math.min(n, settings.sampleSize()), settings.samples(), tokens);
    }

    private Side side(int[] words, long distinct, List<List<Sampled>> samples, Map<Integer, Sampled> union,
        boolean chosenSide) {
      double d1 = 0;
      double d2 = 0;
      double mass = 0;
      double any = 0;
      double top = 0;
      for (List<Sampled> s : samples) {
        List<List<String>> toks = new ArrayList<>(s.size());
        for (Sampled x : s) {
          toks.add(lowerWords(chosenSide ? x.chosen() : x.rejected()));
        }
        d1 += distinctN(toks, 1);
        d2 += distinctN(toks, 2);
        FourGramStats f = fourGrams(toks, settings.topFourGrams());
        mass += f.mass;
        any += f.anyTop;
        top += f.top;
      }
      int k = samples.size();
      List<List<String>> all = new ArrayList<>();
      for (Sampled x : union.values()) {
        all.add(lowerWords(chosenSide ? x.chosen() : x.rejected()));
      }
      List<FourGram> common = new ArrayList<>();
      Map<String, Integer> df = documentFrequencies(all);
      for (Map.Entry<String, Integer> e : topByCount(df, 5)) {
        common.add(new FourGram(e.getKey(), (double) e.getValue() / Math.max(1, all.size())));
      }
      return new Side(LengthSummary.of(words), distinct, n == 0 ? 0 : (double) distinct / n, d1 / k, d2 / k,
          mass / k, any / k, top / k, List.copyOf(common));
    }
  }

  private record FourGramStats(double mass, double anyTop, double top) {}

  private static FourGramStats fourGrams(List<List<String>> texts, int k) {
    Map<String, Integer> occ = new HashMap<>();
    long total = 0;
    for (List<String> t : texts) {
      for (String g : ngrams(t, 4)) {
        occ.merge(g, 1, Integer::sum);
        total++;
      }
    }
    if (total == 0) {
      return new FourGramStats(0, 0, 0);
    }
    long topOcc = 0;
    for (Map.Entry<String, Integer> e : topByCount(occ, k)) {
      topOcc += e.getValue();
    }
    Map<String, Integer> df = documentFrequencies(texts);
    List<Map.Entry<String, Integer>> topDf = topByCount(df, k);
    Set<String> topSet = new HashSet<>();
    topDf.forEach(e -> topSet.add(e.getKey()));
    int withTop = 0;
    for (List<String> t : texts) {
      for (String g : ngrams(t, 4)) {
        if (topSet.contains(g)) {
          withTop++;
          break;
        }
      }
    }
    return new FourGramStats((double) topOcc / total, (double) withTop / texts.size(),
        (double) topDf.get(0).getValue() / texts.size());
  }

  private static Map<String, Integer> documentFrequencies(List<List<String>> texts) {
    Map<String, Integer> df = new HashMap<>();
    for (List<String> t : texts) {
      for (String g : new HashSet<>(ngrams(t, 4))) {
        df.merge(g, 1, Integer::sum);
      }
    }
    return df;
  }

  /** The k entries with the highest counts, ties broken by the gram so the result is stable. */
  private static List<Map.Entry<String, Integer>> topByCount(Map<String, Integer> counts, int k) {
    List<Map.Entry<String, Integer>> l = new ArrayList<>(counts.entrySet());
    l.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    return l.subList(0, Math.min(k, l.size()));
  }

  /** Distinct n-grams / all n-grams over the texts (0 when there are none). */
  static double distinctN(List<List<String>> texts, int n) {
    Set<String> seen = new HashSet<>();
    long total = 0;
    for (List<String> t : texts) {
      for (String g : ngrams(t, n)) {
        seen.add(g);
        total++;
      }
    }
    return total == 0 ? 0 : (double) seen.size() / total;
  }

  private static List<String> ngrams(List<String> words, int n) {
    List<String> out = new ArrayList<>(Math.max(0, words.size() - n + 1));
    for (int i = 0; i + n <= words.size(); i++) {
      out.add(String.join(" ", words.subList(i, i + n)));
    }
    return out;
  }

  /** The lower-cased words of a text, split as {@link LengthSummary#words} counts them. */
  static List<String> lowerWords(String s) {
    List<String> out = new ArrayList<>();
    String lower = s.toLowerCase(Locale.ROOT);
    int start = -1;
    for (int i = 0; i < lower.length(); ) {
      int cp = lower.codePointAt(i);
      boolean ws = Character.isWhitespace(cp) || Character.isSpaceChar(cp);
      if (ws && start >= 0) {
        out.add(lower.substring(start, i));
        start = -1;
      } else if (!ws && start < 0) {
        start = i;
      }
      i += Character.charCount(cp);
    }
    if (start >= 0) {
      out.add(lower.substring(start));
    }
    return out;
  }

  /** Nearest-rank percentile of sorted values (0 when empty). */
  static double quantile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  /** SplitMix64's output function of {@code x} (Steele, Lea & Flood 2014). */
  static long splitmix64(long x) {
    long z = x + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}

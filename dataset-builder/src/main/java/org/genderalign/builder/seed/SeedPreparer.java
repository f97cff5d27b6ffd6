package org.genderalign.builder.seed;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns raw seeds into usable ones: normalises (NFKC, typographic quotes, whitespace, control
 * characters), keeps English text within the length bounds, scrubs personal data, and drops
 * exact duplicates (after case and punctuation folding). Every drop is counted by reason and
 * kept, so the build can write it aside.
 */
public final class SeedPreparer {

  /** Reason ids of dropped seeds. */
  public static final String DROP_TOO_SHORT = "too_short";
  public static final String DROP_TOO_LONG = "too_long";
  public static final String DROP_NOT_ENGLISH = "not_english";
  public static final String DROP_DUPLICATE = "duplicate";

  private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cf}&&[^\\n\\t]]");
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\[(?:link|email|user|phone|name)\\]");
  // Frequent English function words: a text of 3+ words with none of them is not English prose.
  private static final Set<String> ENGLISH = Set.of(
      "the", "a", "an", "is", "are", "was", "were", "be", "i", "you", "he", "she", "it", "we", "they",
      "to", "of", "and", "or", "in", "on", "at", "for", "with", "that", "this", "not", "no", "do",
      "does", "my", "your", "her", "his", "their", "me", "him", "them", "have", "has", "can", "just",
      "so", "all", "if", "but", "as", "by", "from", "women", "men", "woman", "man", "girls", "guys");

  private final int minChars;
  private final int maxChars;
  private final PiiScrubber scrubber;

  public SeedPreparer(int minChars, int maxChars, PiiScrubber scrubber) {
    if (minChars < 1 || maxChars < minChars) {
      throw new IllegalArgumentException("need 1 ≤ minChars ≤ maxChars, got " + minChars + ", " + maxChars);
    }
    this.minChars = minChars;
    this.maxChars = maxChars;
    this.scrubber = scrubber;
  }

  /** A dropped seed and why. */
  public record Dropped(Seed seed, String reason) {}

  /**
   * The outcome of preparation.
   *
   * @param seeds kept seeds, in input order
   * @param dropped dropped seeds with their reasons, in input order
   * @param dropCounts reason → count
   * @param scrubCounts kind of personal data → spans replaced
   * @param loadedBySource source → raw seeds loaded
   * @param keptBySource source → seeds kept
   */
  public record Result(List<Seed> seeds, List<Dropped> dropped, Map<String, Integer> dropCounts,
      Map<String, Integer> scrubCounts, Map<String, Integer> loadedBySource, Map<String, Integer> keptBySource) {}

  /** Prepares seeds in order; the first of each duplicate group is kept. */
  public Result prepare(List<Seed> raw) {
    List<Seed> kept = new ArrayList<>();
    List<Dropped> dropped = new ArrayList<>();
    Map<String, Integer> drops = new TreeMap<>();
    Map<String, Integer> scrubs = new TreeMap<>();
    Map<String, Integer> loaded = new TreeMap<>();
    Map<String, Integer> keptBy = new TreeMap<>();
    Set<String> seen = new HashSet<>();
    for (Seed s : raw) {
      loaded.merge(s.source(), 1, Integer::sum);
      String text = normalize(s.text());
      String reason = null;
      if (!isEnglish(text)) {
        reason = DROP_NOT_ENGLISH;
      } else {
        PiiScrubber.Result r = scrubber.scrub(text);
        r.counts().forEach((k, v) -> scrubs.merge(k.name().toLowerCase(Locale.ROOT), v, Integer::sum));
        text = r.text();
        int contentLength = PLACEHOLDER.matcher(text).replaceAll("").strip().length();
        if (contentLength < minChars) {
          reason = DROP_TOO_SHORT;
        } else if (text.length() > maxChars) {
          reason = DROP_TOO_LONG;
        } else if (!seen.add(dedupKey(text))) {
          reason = DROP_DUPLICATE;
        }
      }
      if (reason == null) {
        kept.add(s.withText(text));
        keptBy.merge(s.source(), 1, Integer::sum);
      } else {
        dropped.add(new Dropped(s.withText(text), reason));
        drops.merge(reason, 1, Integer::sum);
      }
    }
    return new Result(List.copyOf(kept), List.copyOf(dropped), drops, scrubs, loaded, keptBy);
  }

  /** NFKC, plain quotes and dashes, no control characters, single spaces, trimmed. */
  public static String normalize(String text) {
    String t = Normalizer.normalize(text, Normalizer.Form.NFKC);
    t = t.replace('\u2018', '\'').replace('\u2019', '\'').replace('\u201C', '"').replace('\u201D', '"')
        .replace('\u2013', '-').replace('\u2014', '-').replace("&amp;", "&").replace("&gt;", ">").replace("&lt;", "<");
    t = CONTROL.matcher(t).replaceAll("");
    return SPACES.matcher(t).replaceAll(" ").strip();
  }

  /** Case- and punctuation-folded key for exact deduplication. */
  public static String dedupKey(String text) {
    return SPACES.matcher(text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ")).replaceAll(" ").strip();
  }

  /**
   * A cheap English check: most letters are Latin, and a text of three or more words contains at
   * least one frequent English function word.
   */
  public static boolean isEnglish(String text) {
    int letters = 0;
    int latin = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isLetter(c)) {
        letters++;
        if (c < 0x250) {
          latin++;
        }
      }
    }
    if (letters == 0 || latin < 0.9 * letters) {
      return false;
    }
    String[] words = text.toLowerCase(Locale.ROOT).split("[^a-z']+");
    int n = 0;
    for (String w : words) {
      if (w.isEmpty()) {
        continue;
      }
      n++;
      if (ENGLISH.contains(w)) {
        return true;
      }
    }
    return n < 3;
  }
}

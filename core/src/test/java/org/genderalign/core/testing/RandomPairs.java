package org.genderalign.core.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.genderalign.core.data.PreferencePair;

/**
 * Random preference pairs for round-trip tests: texts mix ASCII, accented letters, CJK, emoji
 * (surrogate pairs), quotes, backslashes, commas, tabs and inner newlines. Texts never start or
 * end with whitespace, because the transcript formats (HH, GenderAlign) cannot tell those
 * apart from their separators.
 */
public final class RandomPairs {

  private static final String[] PIECES = {
      "she", "he", "they", "nurse", "engineer", "é", "ü", "ß", "中文", "日本語", "😀", "👩‍🔬",
      "\"", "'", "\\", ",", ";", "\t", "\n", "\r\n", "{", "}", "[", "]", "<b>", "&amp;", "100%",
      "\u2028", "null", "true", "-1.5e3", "\u00a0"};

  private final Random rnd;

  public RandomPairs(long seed) {
    this.rnd = new Random(seed);
  }

  /** A random non-empty text without leading/trailing whitespace. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    int n = 1 + rnd.nextInt(12);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(rnd.nextInt(4) == 0 ? "" : " ");
      }
      sb.append(PIECES[rnd.nextInt(PIECES.length)]);
    }
    String s = sb.toString().strip();
    // strip() keeps U+00A0 and U+2028 is whitespace to strip(); make sure the ends are letters.
    return "x" + s + "y";
  }

  /** A pair with the given id; source, category and metadata are set when {@code full}. */
  public PreferencePair pair(String id, boolean full) {
    PreferencePair.PreferencePairBuilder b = PreferencePair.builder()
        .id(id).prompt(text()).chosen(text()).rejected(text());
    if (full) {
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("score", rnd.nextInt(1000));
      meta.put("judge", text());
      meta.put("flags", List.of(true, false));
      meta.put("nested", Map.of("k", text()));
      meta.put("ratio", 0.25 * rnd.nextInt(8));
      b.category(rnd.nextBoolean() ? "stereotypes" : null)
          .source("gen-" + rnd.nextInt(3))
          .seedId(rnd.nextBoolean() ? "seed-" + rnd.nextInt(100) : null)
          .metadata(meta);
    }
    return b.build();
  }

  /** {@code n} pairs with ids {@code <prefix><i>} for i starting at {@code first}. */
  public List<PreferencePair> pairs(int n, String prefix, int first, boolean full) {
    List<PreferencePair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(pair(prefix + (first + i), full));
    }
    return out;
  }
}

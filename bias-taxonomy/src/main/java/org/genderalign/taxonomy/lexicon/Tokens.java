package org.genderalign.taxonomy.lexicon;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one tokenizer used for lexicon matching: lower case, letters and digits, inner
 * apostrophes kept ({@code don't}), a possessive {@code 's} dropped ({@code women's → women}).
 * Lexicon phrases are tokenized with the same rules, so a phrase such as {@code non-binary}
 * or {@code they/them} matches however the text punctuates it.
 */
public final class Tokens {

  private Tokens() {}

  /** Tokenizes {@code text}; never null. */
  public static List<String> of(String text) {
    List<String> out = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    String s = text.toLowerCase(Locale.ROOT);
    int n = s.length();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        cur.append(c);
      } else if ((c == '\'' || c == '\u2019') && cur.length() > 0 && i + 1 < n
          && Character.isLetter(s.charAt(i + 1))) {
        cur.append('\'');
      } else {
        flush(cur, out);
      }
    }
    flush(cur, out);
    return out;
  }

  private static void flush(StringBuilder cur, List<String> out) {
    if (cur.length() == 0) {
      return;
    }
    String t = cur.toString();
    cur.setLength(0);
    if (t.endsWith("'s") && t.length() > 2) {
      t = t.substring(0, t.length() - 2);
    }
    out.add(t);
  }
}

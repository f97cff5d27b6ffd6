package org.genderalign.taxonomy.lexicon;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the terms of one or more lexicons in tokenized text, single words and multi-word
 * phrases alike, longest match first at each position. Immutable and thread-safe.
 */
public final class PhraseMatcher {

  /** One match: the term as written in the lexicon and the token span it covers. */
  public record Match(String term, int start, int end) {}

  // first token → phrases (as token arrays) starting with it, longest first
  private final Map<String, List<String[]>> byFirst = new HashMap<>();
  private final Map<String, String> display = new HashMap<>();

  public PhraseMatcher(Collection<String> terms) {
    for (String term : terms) {
      List<String> toks = Tokens.of(term);
      if (toks.isEmpty()) {
        continue;
      }
      String key = String.join(" ", toks);
      if (display.putIfAbsent(key, term) != null) {
        continue;
      }
      byFirst.computeIfAbsent(toks.get(0), k -> new ArrayList<>()).add(toks.toArray(String[]::new));
    }
    byFirst.values().forEach(l -> l.sort((a, b) -> Integer.compare(b.length, a.length)));
  }

  /** All non-overlapping matches, scanning left to right, longest phrase first. */
  public List<Match> find(List<String> tokens) {
    List<Match> out = new ArrayList<>();
    int i = 0;
    while (i < tokens.size()) {
      List<String[]> cands = byFirst.get(tokens.get(i));
      int len = 0;
      String[] hit = null;
      if (cands != null) {
        for (String[] c : cands) {
          if (matchesAt(tokens, i, c)) {
            hit = c;
            len = c.length;
            break;
          }
        }
      }
      if (hit != null) {
        out.add(new Match(display.get(String.join(" ", hit)), i, i + len));
        i += len;
      } else {
        i++;
      }
    }
    return out;
  }

  /** The distinct matched terms, in order of first occurrence. */
  public List<String> distinctTerms(List<String> tokens) {
    Set<String> s = new LinkedHashSet<>();
    for (Match m : find(tokens)) {
      s.add(m.term());
    }
    return List.copyOf(s);
  }

  private static boolean matchesAt(List<String> tokens, int i, String[] phrase) {
    if (i + phrase.length > tokens.size()) {
      return false;
    }
    for (int k = 0; k < phrase.length; k++) {
      if (!tokens.get(i + k).equals(phrase[k])) {
        return false;
      }
    }
    return true;
  }
}

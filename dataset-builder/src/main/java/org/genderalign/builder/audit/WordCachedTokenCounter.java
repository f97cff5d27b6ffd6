package org.genderalign.builder.audit;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.genderalign.trainer.tokenizer.Llama2cTokenizer;

/**
 * Counts the tokens a llama2.c tokenizer gives a text, word by word with a cache, so that an
 * audit of thousands of pairs does not run the quadratic BPE merge loop on every whole text.
 *
 * <p>Exact, not an estimate: when no piece of the vocabulary holds a space other than as its
 * first byte (true of stories260K's 512 pieces), no merge can join two space-separated words,
 * and BPE merges inside different words never interact, so the tokens of {@code "a b c"} are
 * those of {@code " a"}, {@code " b"} and {@code " c"} — each what {@link
 * Llama2cTokenizer#encode} gives the bare word, whose dummy prefix is that leading space (so the
 * vocabulary must also have the single space as a piece). A text that starts or ends with a
 * space or holds two spaces in a row, or a vocabulary with inner spaces, is encoded whole. Not
 * thread-safe (the cache).
 */
public final class WordCachedTokenCounter {

  private final Llama2cTokenizer tokenizer;
  private final boolean wordwise;
  private final Map<String, Integer> cache = new HashMap<>();

  public WordCachedTokenCounter(Llama2cTokenizer tokenizer) {
    this.tokenizer = tokenizer;
    boolean inner = false;
    boolean space = false;
    for (int id = 0; id < tokenizer.vocabSize() && !inner; id++) {
      byte[] p = tokenizer.piece(id);
      space |= p.length == 1 && p[0] == ' ';
      for (int i = 1; i < p.length; i++) {
        if (p[i] == ' ') {
          inner = true;
          break;
        }
      }
    }
    // The dummy prefix must be the space piece, as a space inside a text is.
    this.wordwise = space && !inner;
  }

  /** True when texts are counted word by word (the vocabulary allows it). */
  public boolean wordwise() {
    return wordwise;
  }

  /** {@code tokenizer.encode(text).length}. */
  public int count(String text) {
    if (text.isEmpty()) {
      return 0;
    }
    // A space with no word after it (leading, doubled, trailing) is a token of its own: whole text.
    if (!wordwise || text.charAt(0) == ' ' || text.charAt(text.length() - 1) == ' ' || text.contains("  ")) {
      return tokenizer.encode(text).length;
    }
    int total = 0;
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf(' ', start);
      if (end < 0) {
        end = text.length();
      }
      String word = text.substring(start, end);
      if (!word.isEmpty()) {
        Integer c = cache.get(word);
        if (c == null) {
          c = tokenizer.encode(word).length;
          // Very long "words" (URLs, runs without spaces) are rarely repeated: do not keep them.
          if (word.getBytes(StandardCharsets.UTF_8).length <= 64) {
            cache.put(word, c);
          }
        }
        total += c;
      }
      start = end + 1;
    }
    return total;
  }
}

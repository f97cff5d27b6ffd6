package org.genderalign.core.dataset;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.io.Hashing;

/**
 * Summary of a preference data set, for {@code dataset stats} and for checking a built set.
 *
 * @param pairs number of pairs
 * @param prompt length distribution of prompts (words)
 * @param chosen length distribution of chosen answers (words)
 * @param rejected length distribution of rejected answers (words)
 * @param distinctPrompts number of different prompts
 * @param duplicatePrompts pairs whose exact prompt occurred in an earlier pair
 * @param duplicatePairs pairs whose exact (prompt, chosen, rejected) occurred in an earlier pair
 * @param identicalAnswers pairs whose chosen and rejected answers are the same text (useless for DPO)
 * @param categories pairs per bias category ({@value #NONE} when unset), sorted by name
 * @param sources pairs per source ({@value #NONE} when unset), sorted by name
 */
public record DatasetStats(
    long pairs,
    LengthSummary prompt,
    LengthSummary chosen,
    LengthSummary rejected,
    long distinctPrompts,
    long duplicatePrompts,
    long duplicatePairs,
    long identicalAnswers,
    Map<String, Long> categories,
    Map<String, Long> sources) {

  /** Key used in the mixes for a null category or source. */
  public static final String NONE = "(none)";

  /** Stats of all pairs, streaming: only lengths and 128-bit hashes are kept per pair. */
  public static DatasetStats of(Iterable<PreferencePair> pairs) {
    Accumulator a = new Accumulator();
    for (PreferencePair p : pairs) {
      a.add(p);
    }
    return a.build();
  }

  /** Adds pairs one at a time; {@link #build()} gives the stats so far. */
  public static final class Accumulator {
    private int[] promptLen = new int[1024];
    private int[] chosenLen = new int[1024];
    private int[] rejectedLen = new int[1024];
    private int n;
    private final Set<Key> prompts = new HashSet<>();
    private final Set<Key> triples = new HashSet<>();
    private long dupPrompts;
    private long dupPairs;
    private long identical;
    private final Map<String, Long> categories = new TreeMap<>();
    private final Map<String, Long> sources = new TreeMap<>();

    /** Counts one pair. */
    public void add(PreferencePair p) {
      if (n == promptLen.length) {
        promptLen = Arrays.copyOf(promptLen, n * 2);
        chosenLen = Arrays.copyOf(chosenLen, n * 2);
        rejectedLen = Arrays.copyOf(rejectedLen, n * 2);
      }
      promptLen[n] = LengthSummary.words(p.prompt());
      chosenLen[n] = LengthSummary.words(p.chosen());
      rejectedLen[n] = LengthSummary.words(p.rejected());
      n++;
      if (!prompts.add(Key.of(p.prompt()))) {
        dupPrompts++;
      }
      if (!triples.add(Key.of(p.prompt(), p.chosen(), p.rejected()))) {
        dupPairs++;
      }
      if (p.chosen().equals(p.rejected())) {
        identical++;
      }
      categories.merge(p.category() == null ? NONE : p.category(), 1L, Long::sum);
      sources.merge(p.source() == null ? NONE : p.source(), 1L, Long::sum);
    }

    /** The stats of the pairs added so far. */
    public DatasetStats build() {
      return new DatasetStats(n,
          LengthSummary.of(Arrays.copyOf(promptLen, n)),
          LengthSummary.of(Arrays.copyOf(chosenLen, n)),
          LengthSummary.of(Arrays.copyOf(rejectedLen, n)),
          prompts.size(), dupPrompts, dupPairs, identical,
          new LinkedHashMap<>(categories), new LinkedHashMap<>(sources));
    }
  }

  /** First 128 bits of the SHA-256 of length-prefixed UTF-8 parts: collisions are negligible. */
  record Key(long hi, long lo) {
    static Key of(String... parts) {
      MessageDigest md = Hashing.newDigest();
      for (String s : parts) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update(ByteBuffer.allocate(4).putInt(b.length).array());
        md.update(b);
      }
      ByteBuffer d = ByteBuffer.wrap(md.digest());
      return new Key(d.getLong(), d.getLong());
    }
  }
}

package org.genderalign.builder.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds texts whose word-shingle Jaccard similarity reaches a threshold, without comparing all
 * pairs: MinHash signatures are banded (locality-sensitive hashing) so that only texts sharing a
 * band become candidates, and every candidate is then confirmed with the exact Jaccard
 * similarity — so the index never reports a pair below the threshold. With 32 bands of 4 rows a
 * pair at similarity 0.8 is found with probability 1 − (1 − 0.8⁴)³² ≈ 0.99999; at 0.5, 0.87.
 * Not thread-safe.
 */
public final class NearDuplicateIndex {

  /** Word n-gram size: 2 keeps short questions (8–20 words) comparable. */
  public static final int DEFAULT_SHINGLE = 2;
  static final int BANDS = 32;
  static final int ROWS = 4;

  private final double threshold;
  private final int shingle;
  private final List<long[]> shingles = new ArrayList<>();
  private final List<Map<Long, List<Integer>>> bands = new ArrayList<>();
  private final long[] seeds = new long[BANDS * ROWS];

  public NearDuplicateIndex(double threshold) {
    this(threshold, DEFAULT_SHINGLE);
  }

  public NearDuplicateIndex(double threshold, int shingle) {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
    }
    if (shingle < 1) {
      // 0 words per shingle would give every text the same single (empty) shingle: all duplicates
      throw new IllegalArgumentException("shingle size must be at least 1 word, got " + shingle);
    }
    this.threshold = threshold;
    this.shingle = shingle;
    for (int b = 0; b < BANDS; b++) {
      bands.add(new HashMap<>());
    }
    for (int i = 0; i < seeds.length; i++) {
      seeds[i] = Rng.mix(0x5DEECE66DL * (i + 1));
    }
  }

  /** A text prepared for lookup: its shingles and MinHash signature. */
  public record Entry(long[] shingles, long[] signature) {}

  /** Shingles and signature of a text. */
  public Entry prepare(String text) {
    long[] sh = Shingles.of(text, shingle);
    return new Entry(sh, signature(sh));
  }

  /** The smallest index of an added text that is a near-duplicate of {@code e}, or -1. */
  public int find(Entry e) {
    int found = -1;
    for (int b = 0; b < BANDS; b++) {
      List<Integer> bucket = bands.get(b).get(bandKey(e.signature(), b));
      if (bucket != null) {
        for (int other : bucket) {
          if ((found < 0 || other < found) && Shingles.jaccard(e.shingles(), shingles.get(other)) >= threshold) {
            found = other;
          }
        }
      }
    }
    return found;
  }

  /** Every added text that is a near-duplicate of {@code e}, ascending. */
  public List<Integer> findAll(Entry e) {
    java.util.TreeSet<Integer> found = new java.util.TreeSet<>();
    for (int b = 0; b < BANDS; b++) {
      List<Integer> bucket = bands.get(b).get(bandKey(e.signature(), b));
      if (bucket != null) {
        for (int other : bucket) {
          if (!found.contains(other) && Shingles.jaccard(e.shingles(), shingles.get(other)) >= threshold) {
            found.add(other);
          }
        }
      }
    }
    return List.copyOf(found);
  }

  /** Adds a text; returns its index. */
  public int add(Entry e) {
    int id = shingles.size();
    shingles.add(e.shingles());
    for (int b = 0; b < BANDS; b++) {
      bands.get(b).computeIfAbsent(bandKey(e.signature(), b), k -> new ArrayList<>(2)).add(id);
    }
    return id;
  }

  /** {@link #find} then {@link #add}: the near-duplicate found among earlier texts, or -1. */
  public int addAndFind(String text) {
    Entry e = prepare(text);
    int found = find(e);
    add(e);
    return found;
  }

  /** Number of texts added. */
  public int size() {
    return shingles.size();
  }

  private long[] signature(long[] sh) {
    long[] sig = new long[seeds.length];
    java.util.Arrays.fill(sig, Long.MAX_VALUE);
    for (long s : sh) {
      for (int i = 0; i < seeds.length; i++) {
        long h = Rng.mix(s ^ seeds[i]);
        if (h < sig[i]) {
          sig[i] = h;
        }
      }
    }
    return sig;
  }

  private static long bandKey(long[] sig, int band) {
    long h = band;
    for (int r = 0; r < ROWS; r++) {
      h = Rng.mix(h * 31 + sig[band * ROWS + r]);
    }
    return h;
  }
}

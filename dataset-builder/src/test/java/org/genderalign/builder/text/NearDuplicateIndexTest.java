package org.genderalign.builder.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * MinHash near-duplicate detection against a slow, obviously correct reference: every pair of
 * texts compared by its exact word-shingle Jaccard similarity. The index may miss a pair (LSH)
 * but never reports one below the threshold, and at high similarity misses none.
 */
class NearDuplicateIndexTest {

  static final String[] WORDS = ("nurse engineer woman man teacher girl boy doctor pilot mother father "
      + "strong weak emotional logical leader caring job home science math sports cook drive").split(" ");

  /** Random texts: fresh ones, and edits (a few words changed, dropped or added) of earlier ones. */
  static List<String> texts(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<String> words = new ArrayList<>();
      if (!out.isEmpty() && r.nextInt(3) == 0) {
        words.addAll(List.of(out.get(r.nextInt(out.size())).split(" ")));
        int edits = r.nextInt(4);
        for (int e = 0; e < edits && !words.isEmpty(); e++) {
          switch (r.nextInt(3)) {
            case 0 -> words.set(r.nextInt(words.size()), WORDS[r.nextInt(WORDS.length)]);
            case 1 -> words.remove(r.nextInt(words.size()));
            default -> words.add(r.nextInt(words.size() + 1), WORDS[r.nextInt(WORDS.length)]);
          }
        }
      } else {
        int len = 6 + r.nextInt(15);
        for (int w = 0; w < len; w++) {
          words.add(WORDS[r.nextInt(WORDS.length)]);
        }
      }
      out.add(String.join(" ", words));
    }
    return out;
  }

  @Test
  void neverReportsAPairBelowTheThresholdAndFindsTheCloseOnes() {
    int checkedClose = 0;
    for (long seed = 1; seed <= 5; seed++) {
      for (double threshold : new double[] {0.5, 0.7, 0.9}) {
        List<String> texts = texts(seed, 300);
        NearDuplicateIndex index = new NearDuplicateIndex(threshold);
        List<long[]> shingles = new ArrayList<>();
        for (String t : texts) {
          NearDuplicateIndex.Entry e = index.prepare(t);
          List<Integer> found = index.findAll(e);
          List<Integer> reference = new ArrayList<>();
          for (int j = 0; j < shingles.size(); j++) {
            if (Shingles.jaccard(e.shingles(), shingles.get(j)) >= threshold) {
              reference.add(j);
            }
          }
          // exact confirmation: nothing below the threshold, ever
          assertThat(reference).as("seed %d, threshold %s, text '%s'", seed, threshold, t).containsAll(found);
          // LSH recall: a pair at 0.85 or more is missed with probability ~1e-5 (32 bands of 4)
          for (int j : reference) {
            if (Shingles.jaccard(e.shingles(), shingles.get(j)) >= 0.85) {
              assertThat(found).contains(j);
              checkedClose++;
            }
          }
          assertThat(index.find(e)).isEqualTo(found.isEmpty() ? -1 : found.get(0));
          assertThat(index.add(e)).isEqualTo(shingles.size());
          shingles.add(e.shingles());
        }
      }
    }
    assertThat(checkedClose).as("the random data has close pairs to check").isGreaterThan(100);
  }

  @Test
  void jaccardMatchesASetComputation() {
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 500; i++) {
      long[] a = r.longs(r.nextInt(10), 0, 20).sorted().distinct().toArray();
      long[] b = r.longs(r.nextInt(10), 0, 20).sorted().distinct().toArray();
      java.util.Set<Long> sa = new java.util.HashSet<>();
      java.util.Set<Long> sb = new java.util.HashSet<>();
      for (long x : a) {
        sa.add(x);
      }
      for (long x : b) {
        sb.add(x);
      }
      java.util.Set<Long> union = new java.util.HashSet<>(sa);
      union.addAll(sb);
      sa.retainAll(sb);
      double expected = union.isEmpty() ? 1.0 : (double) sa.size() / union.size();
      assertThat(Shingles.jaccard(a, b)).isEqualTo(expected);
    }
  }

  @Test
  void aShingleSizeBelowOneIsRefused() {
    assertThatThrownBy(() -> new NearDuplicateIndex(0.8, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shingle size must be at least 1 word, got 0");
    assertThatThrownBy(() -> new NearDuplicateIndex(0.8, -3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Shingles.of("a b c", 0)).isInstanceOf(IllegalArgumentException.class);
    // with size 1 two texts without a common word are not duplicates
    NearDuplicateIndex one = new NearDuplicateIndex(0.5, 1);
    assertThat(one.addAndFind("nurses care")).isEqualTo(-1);
    assertThat(one.addAndFind("pilots fly")).isEqualTo(-1);
    assertThat(one.addAndFind("nurses care")).isZero();
  }
}

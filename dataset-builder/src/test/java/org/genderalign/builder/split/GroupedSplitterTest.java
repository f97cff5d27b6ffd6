package org.genderalign.builder.split;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.genderalign.builder.text.Shingles;
import org.junit.jupiter.api.Test;

/**
 * The grouped split against a slow reference on random data: the groups are recomputed by
 * brute force (every pair: same seed, or exact prompt Jaccard ≥ threshold; then the transitive
 * closure by graph search), and the split must keep each whole group on one side, cover every
 * item exactly once, keep input order, and give each category's stratum its test share.
 */
class GroupedSplitterTest {

  record Item(String id, String seed, String category, String prompt) {}

  static final String[] CATS = {"stereotypes", "discriminatory_language", "none", "marginalized_gender_bias"};
  static final String[] WORDS = ("nurse engineer woman man teacher girl boy doctor pilot mother father strong "
      + "weak emotional logical leader caring job home science").split(" ");

  static List<Item> items(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Item> out = new ArrayList<>();
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String prompt;
      if (!prompts.isEmpty() && r.nextInt(4) == 0) {
        prompt = prompts.get(r.nextInt(prompts.size())) + (r.nextBoolean() ? "" : " " + WORDS[r.nextInt(WORDS.length)]);
      } else {
        StringBuilder sb = new StringBuilder();
        for (int w = 0, len = 8 + r.nextInt(10); w < len; w++) {
          sb.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        }
        prompt = sb.toString();
      }
      prompts.add(prompt);
      out.add(new Item("i" + i, "s" + r.nextInt(n / 2), CATS[r.nextInt(CATS.length)], prompt));
    }
    return out;
  }

  /** Component id of every item: brute force over all pairs, then breadth-first search. */
  static int[] referenceGroups(List<Item> items, double threshold) {
    int n = items.size();
    List<List<Integer>> adj = new ArrayList<>();
    long[][] sh = new long[n][];
    for (int i = 0; i < n; i++) {
      adj.add(new ArrayList<>());
      sh[i] = Shingles.of(items.get(i).prompt(), 2);
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (items.get(i).seed().equals(items.get(j).seed()) || Shingles.jaccard(sh[i], sh[j]) >= threshold) {
          adj.get(i).add(j);
          adj.get(j).add(i);
        }
      }
    }
    int[] comp = new int[n];
    java.util.Arrays.fill(comp, -1);
    for (int s = 0; s < n; s++) {
      if (comp[s] >= 0) {
        continue;
      }
      java.util.ArrayDeque<Integer> q = new java.util.ArrayDeque<>(List.of(s));
      comp[s] = s;
      while (!q.isEmpty()) {
        int x = q.poll();
        for (int y : adj.get(x)) {
          if (comp[y] < 0) {
            comp[y] = s;
            q.add(y);
          }
        }
      }
    }
    return comp;
  }

  @Test
  void wholeGroupsGoToOneSideAndEveryStratumGetsItsShare() {
    for (long seed = 1; seed <= 8; seed++) {
      double threshold = seed % 2 == 0 ? 0.8 : 0.6;
      double fraction = 0.1 + 0.05 * seed;
      List<Item> items = items(seed, 240);
      GroupedSplitter.Split<Item> split = GroupedSplitter.split(items, Item::seed, Item::category, Item::prompt,
          fraction, threshold, seed);

      // a partition, in input order
      List<Item> both = new ArrayList<>(split.train());
      both.addAll(split.test());
      assertThat(both).containsExactlyInAnyOrderElementsOf(items);
      assertThat(split.train()).isSortedAccordingTo(java.util.Comparator.comparingInt(items::indexOf));
      assertThat(split.test()).isSortedAccordingTo(java.util.Comparator.comparingInt(items::indexOf));

      // no reference group straddles the split (no leak of a seed or a near-duplicate prompt)
      Set<Item> test = new HashSet<>(split.test());
      int[] comp = referenceGroups(items, threshold);
      Map<Integer, Boolean> side = new HashMap<>();
      for (int i = 0; i < items.size(); i++) {
        Boolean was = side.putIfAbsent(comp[i], test.contains(items.get(i)));
        assertThat(was == null || was == test.contains(items.get(i)))
            .as("seed %d: item %d shares a group with an item on the other side", seed, i).isTrue();
      }

      // per stratum (groups by majority category): test share within one group of the target
      Map<Integer, List<Integer>> groups = new HashMap<>();
      for (int i = 0; i < items.size(); i++) {
        groups.computeIfAbsent(comp[i], k -> new ArrayList<>()).add(i);
      }
      Map<String, int[]> strata = new HashMap<>();
      int largest = 0;
      for (List<Integer> g : groups.values()) {
        Map<String, Integer> counts = new HashMap<>();
        g.forEach(i -> counts.merge(items.get(i).category(), 1, Integer::sum));
        String major = counts.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
            .thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder()))).orElseThrow().getKey();
        int[] st = strata.computeIfAbsent(major, k -> new int[2]);
        st[0] += g.size();
        st[1] += test.contains(items.get(g.get(0))) ? g.size() : 0;
        largest = Math.max(largest, g.size());
      }
      for (Map.Entry<String, int[]> e : strata.entrySet()) {
        int want = (int) Math.round(e.getValue()[0] * fraction);
        assertThat(e.getValue()[1]).as("seed %d, stratum %s", seed, e.getKey())
            .isBetween(Math.min(want, 0), want + largest);
        if (want > 0) {
          assertThat(e.getValue()[1]).as("seed %d, stratum %s has test items", seed, e.getKey()).isPositive();
        }
      }
    }
  }
}

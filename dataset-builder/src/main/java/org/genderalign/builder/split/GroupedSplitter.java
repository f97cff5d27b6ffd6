package org.genderalign.builder.split;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.genderalign.builder.text.NearDuplicateIndex;
import org.genderalign.builder.text.Rng;

/**
 * Splits items into train and test. Items are first joined into groups — same seed, or prompts
 * that are near-duplicates (any pair at or above the threshold, transitively) — and a group goes
 * wholly to one side. Groups are stratified by their majority category; within each category,
 * groups are visited in a seeded pseudo-random order and go to test until the category's test
 * share is reached.
 */
public final class GroupedSplitter {

  private GroupedSplitter() {}

  /** The two sides, each in input order. */
  public record Split<T>(List<T> train, List<T> test) {}

  public static <T> Split<T> split(List<T> items, Function<T, String> group, Function<T, String> category,
      Function<T, String> prompt, double testFraction, double nearDuplicateThreshold, long seed) {
    int n = items.size();
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    Map<String, Integer> firstOfGroup = new HashMap<>();
    NearDuplicateIndex index = new NearDuplicateIndex(nearDuplicateThreshold);
    for (int i = 0; i < n; i++) {
      T t = items.get(i);
      Integer g = firstOfGroup.putIfAbsent(group.apply(t), i);
      if (g != null) {
        union(parent, g, i);
      }
      NearDuplicateIndex.Entry e = index.prepare(prompt.apply(t));
      for (int other : index.findAll(e)) {
        union(parent, other, i);
      }
      index.add(e);
    }
    // Components, keyed by their smallest member (stable).
    Map<Integer, List<Integer>> comps = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      comps.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(i);
    }
    Map<String, List<List<Integer>>> strata = new TreeMap<>();
    for (List<Integer> members : comps.values()) {
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (int m : members) {
        counts.merge(category.apply(items.get(m)), 1, Integer::sum);
      }
      String major = counts.entrySet().stream()
          .max(Comparator.comparingInt((Map.Entry<String, Integer> e) -> e.getValue())
              .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
          .orElseThrow().getKey();
      strata.computeIfAbsent(major, k -> new ArrayList<>()).add(members);
    }
    boolean[] test = new boolean[n];
    for (Map.Entry<String, List<List<Integer>>> e : strata.entrySet()) {
      List<List<Integer>> groups = new ArrayList<>(e.getValue());
      int size = groups.stream().mapToInt(List::size).sum();
      int want = (int) Math.round(size * testFraction);
      groups.sort(Comparator.comparingLong((List<Integer> g) ->
          Rng.hash64(seed + ":split:" + group.apply(items.get(g.get(0))))).thenComparingInt(g -> g.get(0)));
      int have = 0;
      for (List<Integer> g : groups) {
        if (have >= want) {
          break;
        }
        if (have + g.size() <= want || have == 0) {
          for (int m : g) {
            test[m] = true;
          }
          have += g.size();
        }
      }
    }
    List<T> trainOut = new ArrayList<>();
    List<T> testOut = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      (test[i] ? testOut : trainOut).add(items.get(i));
    }
    return new Split<>(trainOut, testOut);
  }

  private static int find(int[] p, int i) {
    while (p[i] != i) {
      p[i] = p[p[i]];
      i = p[i];
    }
    return i;
  }

  private static void union(int[] p, int a, int b) {
    int ra = find(p, a);
    int rb = find(p, b);
    if (ra != rb) {
      p[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }
}

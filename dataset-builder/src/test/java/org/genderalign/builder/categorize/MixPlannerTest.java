package org.genderalign.builder.categorize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.genderalign.builder.text.Rng;
import org.junit.jupiter.api.Test;

/**
 * Mix quotas against a slow reference on random data: the real-valued water-filling
 * x_c = min(available_c, λ·w_c) with Σ x_c = the total, found by bisection on λ. The integer
 * quotas must sum to the total, give capped categories everything, and stay within one of x_c;
 * and {@code select} must keep, per category, exactly its quota of the items with the smallest
 * seeded keys, in input order.
 */
class MixPlannerTest {

  static final List<String> CATS = List.of("stereotypes", "discriminatory_language", "none",
      "occupational_educational_sexism", "marginalized_gender_bias");

  /** Water-filling by bisection: slow and plainly right. */
  static Map<String, Double> reference(Map<String, Integer> available, Map<String, Double> w, int target) {
    int allowed = available.entrySet().stream().filter(e -> w.getOrDefault(e.getKey(), 0.0) > 0)
        .mapToInt(Map.Entry::getValue).sum();
    double total = Math.min(target, allowed);
    double lo = 0;
    double hi = 1;
    while (fill(available, w, hi) < total) {
      hi *= 2;
    }
    for (int i = 0; i < 200; i++) {
      double mid = (lo + hi) / 2;
      if (fill(available, w, mid) < total) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    Map<String, Double> x = new TreeMap<>();
    for (String c : available.keySet()) {
      x.put(c, Math.min(available.get(c), hi * w.getOrDefault(c, 0.0)));
    }
    return x;
  }

  static double fill(Map<String, Integer> available, Map<String, Double> w, double lambda) {
    double s = 0;
    for (Map.Entry<String, Integer> e : available.entrySet()) {
      s += Math.min(e.getValue(), lambda * w.getOrDefault(e.getKey(), 0.0));
    }
    return s;
  }

  @Test
  void quotasFollowTheWaterFillingReference() {
    SplittableRandom r = new SplittableRandom(11);
    for (int trial = 0; trial < 2000; trial++) {
      Map<String, Integer> available = new TreeMap<>();
      Map<String, Double> w = new TreeMap<>();
      for (String c : CATS) {
        if (r.nextInt(6) > 0) {
          available.put(c, r.nextInt(r.nextBoolean() ? 5 : 400));
          w.put(c, r.nextInt(5) == 0 ? 0.0 : 0.1 + r.nextDouble() * 3);
        }
      }
      if (available.isEmpty()) {
        continue;
      }
      int target = 1 + r.nextInt(800);
      Map<String, Integer> q = MixPlanner.quotas(available, w, target);
      Map<String, Double> x = reference(available, w, target);
      double total = x.values().stream().mapToDouble(Double::doubleValue).sum();
      assertThat(q.values().stream().mapToInt(Integer::intValue).sum()).as("trial %d", trial)
          .isEqualTo((int) Math.round(total));
      for (String c : available.keySet()) {
        assertThat(q.get(c)).as("trial %d %s", trial, c).isBetween(0, available.get(c));
        assertThat(Math.abs(q.get(c) - x.get(c))).as("trial %d %s: %s vs %s", trial, c, q, x).isLessThan(1.0);
        if (w.getOrDefault(c, 0.0) == 0) {
          assertThat(q.get(c)).isZero();
        }
      }
    }
  }

  record Item(String id, String category) {}

  @Test
  void selectKeepsEachQuotaOfSmallestSeededKeysInInputOrder() {
    SplittableRandom r = new SplittableRandom(5);
    for (int trial = 0; trial < 200; trial++) {
      List<Item> items = new ArrayList<>();
      for (int i = 0, n = r.nextInt(300); i < n; i++) {
        items.add(new Item("p" + i, CATS.get(r.nextInt(CATS.size()))));
      }
      int target = 1 + r.nextInt(250);
      long seed = r.nextLong();
      Map<String, Double> w = r.nextBoolean() ? null : Map.of("stereotypes", 1.0, "none", 0.5,
          "discriminatory_language", 2.0, "occupational_educational_sexism", 1.0, "marginalized_gender_bias", 1.0);
      List<Item> kept = MixPlanner.select(items, Item::category, Item::id, w, target, seed);
      assertThat(kept).isSortedAccordingTo(Comparator.comparingInt(items::indexOf));
      assertThat(kept.size()).isLessThanOrEqualTo(Math.min(target, items.size()));
      Map<String, List<Item>> byCat = new TreeMap<>();
      items.forEach(it -> byCat.computeIfAbsent(it.category(), k -> new ArrayList<>()).add(it));
      for (Map.Entry<String, List<Item>> e : byCat.entrySet()) {
        List<Item> keptHere = kept.stream().filter(it -> it.category().equals(e.getKey())).toList();
        List<Item> bySmallestKey = new ArrayList<>(e.getValue());
        bySmallestKey.sort(Comparator.comparingLong((Item it) -> Rng.hash64(seed + ":" + it.id()))
            .thenComparingInt(items::indexOf));
        assertThat(keptHere).containsExactlyInAnyOrderElementsOf(bySmallestKey.subList(0, keptHere.size()));
      }
      if (w == null && items.size() <= target) {
        assertThat(kept).isEqualTo(items);
      }
    }
  }
}

package org.genderalign.builder.categorize;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.genderalign.builder.text.Rng;

/**
 * Chooses which pairs to keep when there are more than the target, so that the category mix
 * approaches target weights. Quotas are proportional to the weights; a category with fewer
 * pairs than its quota keeps all of them and the rest of its quota goes to the others
 * (water-filling); rounding uses largest remainders. Within a category, pairs are taken in a
 * seeded pseudo-random order, so the choice is reproducible.
 */
public final class MixPlanner {

  /** The four bias categories. */
  public static final List<String> BIAS_CATEGORIES = List.of("stereotypes", "discriminatory_language",
      "occupational_educational_sexism", "marginalized_gender_bias");

  private MixPlanner() {}

  /**
   * The weights of a mix mode given the available counts: {@code natural} → null (no
   * rebalancing); {@code balanced} → 1 for each bias category and, for {@code none}, the weight
   * that keeps its natural share; {@code weights} → the given map.
   */
  public static Map<String, Double> weights(String mix, Map<String, Double> given, Map<String, Integer> available) {
    switch (mix) {
      case "natural":
        return null;
      case "weights":
        return new TreeMap<>(given);
      case "balanced": {
        Map<String, Double> w = new TreeMap<>();
        BIAS_CATEGORIES.forEach(c -> w.put(c, 1.0));
        int total = available.values().stream().mapToInt(Integer::intValue).sum();
        double none = total == 0 ? 0 : available.getOrDefault("none", 0) / (double) total;
        w.put("none", none >= 1 ? 1.0 : BIAS_CATEGORIES.size() * none / (1 - none));
        return w;
      }
      default:
        throw new IllegalArgumentException("unknown mix " + mix);
    }
  }

  /** Integer quotas per category summing to min(target, what the weights allow). */
  public static Map<String, Integer> quotas(Map<String, Integer> available, Map<String, Double> weights, int target) {
    Map<String, Integer> q = new TreeMap<>();
    Set<String> open = new HashSet<>();
    for (String c : available.keySet()) {
      q.put(c, 0);
      if (weights.getOrDefault(c, 0.0) > 0 && available.get(c) > 0) {
        open.add(c);
      }
    }
    int remaining = target;
    while (remaining > 0 && !open.isEmpty()) {
      double sw = open.stream().mapToDouble(weights::get).sum();
      Map<String, Double> share = new TreeMap<>();
      for (String c : open) {
        share.put(c, remaining * weights.get(c) / sw);
      }
      // Categories that cannot fill their share take everything they have; repeat for the rest.
      boolean capped = false;
      for (String c : new ArrayList<>(share.keySet())) {
        int room = available.get(c) - q.get(c);
        if (share.get(c) >= room) {
          q.put(c, available.get(c));
          remaining -= room;
          open.remove(c);
          capped = true;
        }
      }
      if (capped) {
        continue;
      }
      int given = 0;
      Map<String, Double> frac = new HashMap<>();
      for (Map.Entry<String, Double> e : share.entrySet()) {
        int f = (int) Math.floor(e.getValue());
        q.merge(e.getKey(), f, Integer::sum);
        given += f;
        frac.put(e.getKey(), e.getValue() - f);
      }
      int left = remaining - given;
      List<String> order = new ArrayList<>(share.keySet());
      order.sort(Comparator.comparingDouble((String c) -> -frac.get(c)).thenComparing(c -> c));
      for (int i = 0; i < left && i < order.size(); i++) {
        q.merge(order.get(i), 1, Integer::sum);
      }
      remaining = 0;
    }
    return q;
  }

  /**
   * Selects at most {@code target} items, rebalanced towards {@code weights} (null = keep the
   * natural mix), in their original order.
   */
  public static <T> List<T> select(List<T> items, Function<T, String> category, Function<T, String> key,
      Map<String, Double> weights, int target, long seed) {
    if (items.size() <= target && weights == null) {
      return List.copyOf(items);
    }
    Map<String, List<Integer>> byCat = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      byCat.computeIfAbsent(category.apply(items.get(i)), k -> new ArrayList<>()).add(i);
    }
    Map<String, Integer> available = new TreeMap<>();
    byCat.forEach((c, l) -> available.put(c, l.size()));
    Map<String, Double> w = weights;
    if (w == null) {
      w = new TreeMap<>();
      for (Map.Entry<String, Integer> e : available.entrySet()) {
        w.put(e.getKey(), (double) e.getValue());
      }
    }
    Map<String, Integer> quotas = quotas(available, w, Math.min(target, items.size()));
    boolean[] keep = new boolean[items.size()];
    for (Map.Entry<String, List<Integer>> e : byCat.entrySet()) {
      List<Integer> idx = new ArrayList<>(e.getValue());
      idx.sort(Comparator.comparingLong((Integer i) -> Rng.hash64(seed + ":" + key.apply(items.get(i))))
          .thenComparingInt(i -> i));
      int q = quotas.getOrDefault(e.getKey(), 0);
      for (int j = 0; j < q; j++) {
        keep[idx.get(j)] = true;
      }
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (keep[i]) {
        out.add(items.get(i));
      }
    }
    return out;
  }
}

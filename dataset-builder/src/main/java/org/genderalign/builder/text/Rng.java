package org.genderalign.builder.text;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Randomness keyed by (build seed, names): the same keys always give the same stream, whatever
 * the order, the thread or the run in which they are asked for. That is what makes a resumed or
 * multi-threaded build byte-identical to a straight one.
 */
public final class Rng {

  private final SplittableRandom random;

  private Rng(long state) {
    this.random = new SplittableRandom(state);
  }

  /** A stream for the build seed and any number of keys (e.g. seed id, dialogue index). */
  public static Rng of(long seed, Object... keys) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    for (Object k : keys) {
      h = mix(h ^ hash64(String.valueOf(k)));
    }
    return new Rng(h);
  }

  /** A stable 64-bit hash of a string (FNV-1a over UTF-8, then a finaliser). */
  public static long hash64(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return mix(h);
  }

  /** The murmur3 64-bit finaliser. */
  public static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  public double nextDouble() {
    return random.nextDouble();
  }

  /** A standard normal draw (Box–Muller, one value per call, so the stream stays keyed). */
  public double gaussian() {
    double u = 1.0 - random.nextDouble(); // (0, 1]: log(u) is finite
    double v = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
  }

  /** The items in a seeded random order (a copy; Fisher–Yates). */
  public <T> List<T> shuffled(List<T> items) {
    List<T> out = new java.util.ArrayList<>(items);
    for (int i = out.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      T t = out.get(i);
      out.set(i, out.get(j));
      out.set(j, t);
    }
    return out;
  }

  public boolean chance(double p) {
    return random.nextDouble() < p;
  }

  /** A uniformly chosen element. */
  public <T> T pick(List<T> items) {
    if (items.isEmpty()) {
      throw new IllegalArgumentException("cannot pick from an empty list");
    }
    return items.get(random.nextInt(items.size()));
  }

  /** A key chosen with probability proportional to its weight (iteration order of the map matters). */
  public <K> K weighted(Map<K, Double> weights) {
    double total = 0;
    for (double w : weights.values()) {
      total += w;
    }
    double x = random.nextDouble() * total;
    K last = null;
    for (Map.Entry<K, Double> e : weights.entrySet()) {
      last = e.getKey();
      x -= e.getValue();
      if (x < 0) {
        return e.getKey();
      }
    }
    return last;
  }
}

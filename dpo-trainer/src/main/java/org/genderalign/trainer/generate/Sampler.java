package org.genderalign.trainer.generate;

import java.util.Arrays;

/**
 * The host-side reference sampler (used by the benchmark's legacy generator and by tests as
 * the slow, obviously correct reference of the device-side {@link TokenSelector}).
 *
 * <p>Picks the next token from one row of logits exactly as llama2.c's {@code run.c} does: argmax
 * at temperature 0; otherwise softmax of {@code logits / temperature} and then multinomial
 * sampling (topP ≥ 1) or top-p sampling, with run.c's xorshift* random numbers. Not thread-safe:
 * one sampler per sequence.
 */
public final class Sampler {

  private final float temperature;
  private final float topP;
  private final XorShiftRandom random;

  public Sampler(float temperature, float topP, long seed) {
    this.temperature = temperature;
    this.topP = topP;
    this.random = new XorShiftRandom(seed);
  }

  /** The next token for {@code logits} (modified in place when sampling). */
  public int sample(float[] logits) {
    if (temperature == 0f) {
      return argmax(logits);
    }
    for (int i = 0; i < logits.length; i++) {
      logits[i] /= temperature;
    }
    softmax(logits);
    float coin = random.nextFloat();
    if (topP <= 0 || topP >= 1) {
      return sampleMult(logits, coin);
    }
    return sampleTopP(logits, topP, coin);
  }

  /** Index of the first maximum. */
  public static int argmax(float[] p) {
    int best = 0;
    float max = p[0];
    for (int i = 1; i < p.length; i++) {
      if (p[i] > max) {
        max = p[i];
        best = i;
      }
    }
    return best;
  }

  static void softmax(float[] x) {
    float max = x[0];
    for (float v : x) {
      max = Math.max(max, v);
    }
    float sum = 0f;
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.exp(x[i] - max);
      sum += x[i];
    }
    for (int i = 0; i < x.length; i++) {
      x[i] /= sum;
    }
  }

  static int sampleMult(float[] p, float coin) {
    float cdf = 0f;
    for (int i = 0; i < p.length; i++) {
      cdf += p[i];
      if (coin < cdf) {
        return i;
      }
    }
    return p.length - 1;
  }

  static int sampleTopP(float[] p, float topp, float coin) {
    int n = p.length;
    // values below this cannot be part of the nucleus (run.c's cut-off)
    float cutoff = (1.0f - topp) / (n - 1);
    Integer[] idx = new Integer[n];
    int n0 = 0;
    for (int i = 0; i < n; i++) {
      if (p[i] >= cutoff) {
        idx[n0++] = i;
      }
    }
    Integer[] kept = Arrays.copyOf(idx, n0);
    // run.c uses qsort (not stable); ties in probability are vanishingly rare in practice
    Arrays.sort(kept, (a, b) -> Float.compare(p[b], p[a]));
    float cumulative = 0f;
    int last = n0 - 1;
    for (int i = 0; i < n0; i++) {
      cumulative += p[kept[i]];
      if (cumulative > topp) {
        last = i;
        break;
      }
    }
    float r = coin * cumulative;
    float cdf = 0f;
    for (int i = 0; i <= last; i++) {
      cdf += p[kept[i]];
      if (r < cdf) {
        return kept[i];
      }
    }
    return kept[last];
  }
}

package org.genderalign.trainer.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Picks the next token of every row on the device, so that only the chosen ids {@code (B)} are
 * copied to the host, never the {@code (B, V)} logits. The rules are run.c's (see
 * {@link Sampler}, the host-side reference): argmax at temperature 0 (first maximum on ties,
 * as {@code torch.argmax}); otherwise {@code p = softmax(logits / temperature)} and one uniform
 * draw per row ("coin", from that row's own {@link XorShiftRandom} on the host) picks by the
 * inverse CDF — over the vocabulary in id order when neither top-k nor top-p restricts it
 * (run.c's {@code sample_mult}), else over the candidates sorted by probability: the
 * {@code topK} most probable, then the smallest prefix whose mass exceeds {@code topP} (run.c's
 * {@code sample_topp}; its cut-off pre-filter never changes the result). The coin is scaled by
 * the candidates' mass instead of renormalising them.
 */
final class TokenSelector {

  private final GenerationConfig config;
  private final NDArray temperature;
  private final NDArray topP;

  /**
   * @param manager where the selector's constants live (the generation's manager, on the
   *     model's device)
   */
  TokenSelector(NDManager manager, GenerationConfig config) {
    this.config = config;
    this.temperature = config.temperature() > 0 ? manager.create(config.temperature()) : null;
    this.topP = manager.create(config.topP());
  }

  /** Whether rows need a coin per step (sampling rather than greedy). */
  boolean samples() {
    return temperature != null;
  }

  /**
   * @param logits {@code (B, V)} float32
   * @param coins one uniform draw in [0, 1) per row, or null when greedy
   * @return {@code (B)} int64 token ids
   */
  NDArray select(NDArray logits, float[] coins) {
    if (temperature == null) {
      return logits.argMax(1);
    }
    long b = logits.getShape().get(0);
    int v = (int) logits.getShape().get(1);
    NDManager m = logits.getManager();
    NDArray u = m.create(coins, new Shape(b, 1)).toDevice(logits.getDevice(), false); // (B, 1)
    NDArray p = logits.div(temperature).softmax(1); // (B, V)
    boolean nucleus = config.topP() < 1f;
    int k = config.topK() > 0 ? Math.min(config.topK(), v) : v;
    if (!nucleus && k == v) {
      // run.c sample_mult: the first id whose CDF exceeds the coin
      NDArray cdf = p.cumSum(1);
      return cdf.lte(u).sum(new int[] {1}).minimum(v - 1);
    }
    NDList sorted = p.topK(k, 1, true, true); // values (B, k) descending, their ids (B, k)
    NDArray cdf = sorted.get(0).cumSum(1);
    NDArray last; // (B, 1) index of the last candidate in sorted order
    if (nucleus) {
      // run.c: the first prefix whose mass exceeds topP, cut at k
      last = cdf.lte(topP).sum(new int[] {1}, true).minimum(k - 1);
    } else {
      last = m.full(new Shape(b, 1), k - 1).toType(DataType.INT64, false)
          .toDevice(logits.getDevice(), false);
    }
    NDArray mass = cdf.gather(last, 1); // (B, 1)
    NDArray pick = cdf.lte(u.mul(mass)).sum(new int[] {1}, true).minimum(last); // (B, 1)
    return sorted.get(1).gather(pick.toType(DataType.INT64, false), 1).reshape(b);
  }
}

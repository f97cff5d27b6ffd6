package org.genderalign.trainer.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.genderalign.trainer.dpo.loss.Numerics;

/**
 * WPO's pair weights (Zhou et al. 2024, "WPO: Enhancing RLHF with Weighted Preference
 * Optimization", arXiv:2406.11827, Eq. 2; TRL v1.9.0 {@code use_weighting}): for each answer y,
 *
 * <pre>  w(y) = exp( (1/|y|) Σ_t [ log π(y_t) − log Σ_v π(v)² ] )</pre>
 *
 * the length-normalised probability of y under the policy, "aligned" by each position's
 * Σ_v π(v)² (computed as logsumexp(2·logits) − 2·logsumexp(logits)); a pair weighs
 * w(chosen)·w(rejected). No gradient flows through the weights (TRL computes them under
 * {@code no_grad}), and they use the plain token log-probs even with LD-DPO, as TRL does.
 */
final class WpoWeights {

  private WpoWeights() {}

  /**
   * @param logits (2B, T, V) the policy's logits, chosen rows then rejected rows
   * @param tokenLogps (2B, T-1) each next token's log-prob
   * @param mask (2B, T) float32 completion mask
   * @param pairs B
   * @return (B) float32 pair weights, detached
   */
  static NDArray of(NDArray logits, NDArray tokenLogps, NDArray mask, int pairs) {
    long t = logits.getShape().get(1);
    NDArray lg = logits.get(":, 0:{}, :", t - 1).stopGradient().toType(DataType.FLOAT32, false); // (2B, T-1, V)
    NDArray lse1 = logSumExp(lg); // (2B, T-1)
    NDArray lse2 = logSumExp(lg.mul(Numerics.scalar(lg, 2))); // (2B, T-1)
    NDArray logDenom = lse2.sub(lse1.mul(Numerics.scalar(lse1, 2)));
    NDArray m = mask.get(":, 1:").toType(DataType.FLOAT32, false); // (2B, T-1)
    NDArray aligned = tokenLogps.stopGradient().sub(logDenom).mul(m).sum(new int[] {1}); // (2B)
    NDArray lengths = m.sum(new int[] {1});
    NDArray w = aligned.div(lengths.maximum(Numerics.scalar(lengths, 1))).exp(); // (2B)
    return w.get("0:" + pairs).mul(w.get(pairs + ":")); // (B)
  }

  /** log Σ_v e^{x_v} over the last axis, shifted by the max so that nothing overflows. */
  private static NDArray logSumExp(NDArray x) {
    NDArray max = x.max(new int[] {-1}, true); // (…, 1)
    return x.sub(max).exp().sum(new int[] {-1}).log().add(max.squeeze(-1));
  }
}

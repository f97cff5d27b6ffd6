package org.genderalign.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Per-sequence completion log-probabilities from a causal LM's logits: logits[:, :-1] scored
 * against input_ids[:, 1:], masked by completion_mask[:, 1:], summed. Computed in float32 even
 * when the logits are bf16 (the loss must be float32).
 *
 * <p>{@link #tokens} is the one log-softmax-and-gather step; {@link #weightedSum} sums its result
 * under any per-token weights, so several sums of one forward pass (the plain sum, LD-DPO's
 * α-weighted sum) share it.
 */
public final class SequenceLogProbs {

  private SequenceLogProbs() {}

  /**
   * @param logits (N, T, V)
   * @param inputIds (N, T) integer ids
   * @param mask (N, T) completion mask, float32
   * @return (N) summed completion log-probs, float32
   */
  public static NDArray sum(NDArray logits, NDArray inputIds, NDArray mask) {
    return weightedSum(tokens(logits, inputIds), mask);
  }

  /**
   * Each next token's log-probability: log softmax(logits[:, t]) at input_ids[:, t+1].
   *
   * @param logits (N, T, V)
   * @param inputIds (N, T) integer ids
   * @return (N, T-1) float32 (float64 for float64 logits)
   */
  public static NDArray tokens(NDArray logits, NDArray inputIds) {
    long t = logits.getShape().get(1);
    NDArray lg = logits.get(":, 0:{}, :", t - 1); // (N, T-1, V)
    if (lg.getDataType() != DataType.FLOAT32 && lg.getDataType() != DataType.FLOAT64) {
      lg = lg.toType(DataType.FLOAT32, false);
    }
    NDArray targets = inputIds.get(":, 1:").toType(DataType.INT64, false); // (N, T-1)
    return lg.logSoftmax(-1).gather(targets.expandDims(-1), -1).squeeze(-1); // (N, T-1)
  }

  /**
   * Σ_t weights[:, t+1] · tokenLogps[:, t]: the completion mask gives the plain sum; LD-DPO's
   * weights (1 on shared-length tokens, α beyond) its length-desensitised sum.
   *
   * @param tokenLogps (N, T-1) from {@link #tokens}
   * @param weights (N, T) per-position weights, laid out like the completion mask
   * @return (N)
   */
  public static NDArray weightedSum(NDArray tokenLogps, NDArray weights) {
    NDArray w = weights.get(":, 1:"); // (N, T-1)
    return tokenLogps.mul(w.toType(tokenLogps.getDataType(), false)).sum(new int[] {1}); // (N)
  }
}

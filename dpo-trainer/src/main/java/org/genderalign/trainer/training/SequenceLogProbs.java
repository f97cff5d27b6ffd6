package org.genderalign.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Next-token log-probabilities from a causal LM's logits — the project's one log-softmax-and-gather
 * step. {@link #tokenLogps} is the primitive (any leading shape, so the scorer applies it to the
 * few positions it gathered); {@link #tokens}, {@link #weightedSum} (LD-DPO's α-weighted sums share
 * one forward pass with the plain sum), {@link #sum} and {@link #correctTokens} are its training-time uses
 * over whole padded batches (logits[:, :-1] scored against input_ids[:, 1:], masked by
 * completion_mask[:, 1:]), differentiable. Computed in float32 even when the logits are bf16
 * (the loss must be float32).
 */
public final class SequenceLogProbs {

  private SequenceLogProbs() {}

  /**
   * {@code log_softmax(logits)[target]} at every position.
   *
   * @param logits (..., V)
   * @param targets (...) integer ids
   * @return (...) float32 (float64 if the logits are float64)
   */
  public static NDArray tokenLogps(NDArray logits, NDArray targets) {
    NDArray lg = logits;
    if (lg.getDataType() != DataType.FLOAT32 && lg.getDataType() != DataType.FLOAT64) {
      lg = lg.toType(DataType.FLOAT32, false);
    }
    // gather, not take: take indexes the flattened array (djl-notes trap 6)
    return lg.logSoftmax(-1).gather(targets.toType(DataType.INT64, false).expandDims(-1), -1)
        .squeeze(-1);
  }

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
    return tokenLogps(logits.get(":, 0:{}, :", t - 1), inputIds.get(":, 1:")); // (N, T-1)
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

  /**
   * How many masked positions predict their next token greedily (argmax = target): SFT's
   * {@code mean_token_accuracy} numerator. Not differentiable.
   *
   * @param logits (N, T, V)
   * @param inputIds (N, T) integer ids
   * @param mask (N, T) completion mask, float32
   */
  public static double correctTokens(NDArray logits, NDArray inputIds, NDArray mask) {
    long t = logits.getShape().get(1);
    NDArray targets = inputIds.get(":, 1:").toType(DataType.INT64, false); // (N, T-1)
    return logits.get(":, 0:{}, :", t - 1).argMax(-1).toType(DataType.INT64, false).eq(targets)
        .toType(DataType.FLOAT32, false).mul(mask.get(":, 1:").toType(DataType.FLOAT32, false))
        .sum().getFloat();
  }
}

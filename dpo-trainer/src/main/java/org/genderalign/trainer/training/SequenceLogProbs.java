package org.genderalign.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Per-sequence completion log-probabilities from a causal LM's logits: logits[:, :-1] scored
 * against input_ids[:, 1:], masked by completion_mask[:, 1:], summed. Computed in float32 even
 * when the logits are bf16 (the loss must be float32).
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
    long t = logits.getShape().get(1);
    NDArray lg = logits.get(":, 0:{}, :", t - 1); // (N, T-1, V)
    if (lg.getDataType() != DataType.FLOAT32 && lg.getDataType() != DataType.FLOAT64) {
      lg = lg.toType(DataType.FLOAT32, false);
    }
    NDArray targets = inputIds.get(":, 1:").toType(DataType.INT64, false); // (N, T-1)
    NDArray m = mask.get(":, 1:"); // (N, T-1)
    NDArray tokenLogps = lg.logSoftmax(-1).gather(targets.expandDims(-1), -1).squeeze(-1); // (N, T-1)
    return tokenLogps.mul(m.toType(tokenLogps.getDataType(), false)).sum(new int[] {1}); // (N)
  }
}

package org.genderalign.trainer.training;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * One micro-batch's forward result.
 *
 * @param lossSum the loss summed over the micro-batch's units (pairs for DPO, completion tokens
 *     for SFT), float32, differentiable; the loop divides by the step's total units
 * @param metricSums metric name → sum over units (the loop divides by units to log means)
 * @param tokens tokens processed (padding excluded), for {@code tokens} and tokens/s
 * @param metricCounts for metrics that are not means over units (e.g. KTO's {@code rewards/chosen},
 *     a mean over the desirable examples only): metric name → the count its sum is divided by;
 *     the loop logs Σ sums / Σ counts over the logging window (a metric with no count there is
 *     left out of that record)
 */
public record MicroBatchResult(NDArray lossSum, Map<String, Double> metricSums, long tokens,
    Map<String, Double> metricCounts) {

  public MicroBatchResult {
    metricCounts = metricCounts == null ? Map.of() : metricCounts;
  }

  /** A result whose metrics are all means over units. */
  public MicroBatchResult(NDArray lossSum, Map<String, Double> metricSums, long tokens) {
    this(lossSum, metricSums, tokens, Map.of());
  }
}

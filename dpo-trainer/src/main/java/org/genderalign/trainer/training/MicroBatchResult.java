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
 */
public record MicroBatchResult(NDArray lossSum, Map<String, Double> metricSums, long tokens) {}

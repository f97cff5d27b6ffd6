package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * Numerically stable building blocks on NDArrays. Scalars are always created as NDArrays in the
 * manager of the array they combine with (djl-notes.md trap 1: {@code mul(Number)} inside a
 * gradient graph corrupts gradients), so these are safe to use between forward and backward.
 */
public final class Numerics {

  private Numerics() {}

  /** A scalar NDArray with {@code like}'s data type, in {@code like}'s manager. */
  public static NDArray scalar(NDArray like, double value) {
    NDArray s = like.getManager().create(value);
    return s.getDataType() == like.getDataType() ? s : s.toType(like.getDataType(), false);
  }

  /** softplus(x) = log(1 + e^x), computed as max(x, 0) + log(1 + e^-|x|): never overflows. */
  public static NDArray softplus(NDArray x) {
    NDArray zero = scalar(x, 0);
    NDArray one = scalar(x, 1);
    return x.maximum(zero).add(x.abs().neg().exp().add(one).log());
  }

  /** −log σ(x) = softplus(−x). */
  public static NDArray negLogSigmoid(NDArray x) {
    return softplus(x.neg());
  }

  /** log σ(x) = −softplus(−x): finite for every finite x (log of a sigmoid that underflows is not). */
  public static NDArray logSigmoid(NDArray x) {
    return softplus(x.neg()).neg();
  }

  /** σ(x) computed as e^{log σ(x)}, so that neither it nor its gradient overflows at large |x|. */
  public static NDArray sigmoid(NDArray x) {
    return logSigmoid(x).exp();
  }

  /**
   * log(1 − e^x) for x &lt; 0 (the log-probability of "not this sequence" in ORPO). Near 0 the
   * direct form cancels catastrophically, so there −expm1(x) is taken from its Taylor series;
   * x is clamped to ≤ −1e−6 because x = 0 (probability one) has no finite odds. Both branches
   * are evaluated on clamped inputs so that neither yields an infinite gradient that
   * {@code where} would turn into NaN.
   */
  public static NDArray log1mExp(NDArray x) {
    NDArray cut = scalar(x, -1e-3);
    NDArray xc = x.minimum(scalar(x, -1e-6));
    NDArray far = xc.minimum(cut); // ≤ −1e−3: 1 − e^x is well conditioned
    NDArray near = xc.maximum(cut); // in [−1e−3, −1e−6]: −expm1(x) ≈ −x(1 + x/2 + x²/6)
    NDArray one = scalar(x, 1);
    NDArray farVal = one.sub(far.exp()).log();
    NDArray series = one.add(near.div(scalar(x, 2))).add(near.square().div(scalar(x, 6)));
    NDArray nearVal = near.neg().mul(series).log();
    return NDArrays.where(xc.lt(cut), farVal, nearVal);
  }
}

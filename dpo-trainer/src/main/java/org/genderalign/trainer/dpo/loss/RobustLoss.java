package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;

/**
 * Robust DPO (Chowdhury et al. 2024), an unbiased loss under preference-label noise of rate ε:
 * [−(1−ε) log σ(βz) + ε log σ(−βz)] / (1 − 2ε). As in TRL.
 */
public final class RobustLoss extends ReferenceBasedLoss {

  private final double eps;

  public RobustLoss(double beta, double labelSmoothing) {
    super(beta);
    this.eps = labelSmoothing;
  }

  @Override
  public String name() {
    return "robust";
  }

  @Override
  protected NDArray losses(PreferenceBatchLogps b, NDArray rc, NDArray rr, NDArray betaNd) {
    NDArray logits = rc.sub(rr).mul(betaNd); // (B)
    // −(1−ε)·softplus(−βz) … + ε·log σ(−βz) = −ε·softplus(βz)
    return Numerics.negLogSigmoid(logits).mul(Numerics.scalar(logits, 1 - eps))
        .sub(Numerics.softplus(logits).mul(Numerics.scalar(logits, eps)))
        .div(Numerics.scalar(logits, 1 - 2 * eps));
  }
}

package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;

/** Hinge loss of SLiC (Zhao et al. 2023) on DPO's log-ratio: max(0, 1 − βz). As in TRL. */
public final class HingeLoss implements PreferenceLoss {

  private final double beta;

  public HingeLoss(double beta) {
    this.beta = beta;
  }

  @Override
  public String name() {
    return "hinge";
  }

  @Override
  public boolean needsReference() {
    return true;
  }

  @Override
  public PreferenceLossOutput compute(PreferenceBatchLogps b) {
    NDArray betaNd = Numerics.scalar(b.policyChosen(), beta);
    NDArray rc = b.chosenLogRatio();
    NDArray rr = b.rejectedLogRatio();
    NDArray logits = rc.sub(rr).mul(betaNd); // (B)
    NDArray losses = Numerics.scalar(logits, 1).sub(logits).maximum(Numerics.scalar(logits, 0));
    return new PreferenceLossOutput(losses, rc.mul(betaNd), rr.mul(betaNd));
  }
}

package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;

/** Hinge loss of SLiC (Zhao et al. 2023) on DPO's log-ratio: max(0, 1 − βz). As in TRL. */
public final class HingeLoss extends ReferenceBasedLoss {

  public HingeLoss(double beta) {
    super(beta);
  }

  @Override
  public String name() {
    return "hinge";
  }

  @Override
  protected NDArray losses(PreferenceBatchLogps b, NDArray rc, NDArray rr, NDArray betaNd) {
    NDArray logits = rc.sub(rr).mul(betaNd); // (B)
    return Numerics.scalar(logits, 1).sub(logits).maximum(Numerics.scalar(logits, 0));
  }
}

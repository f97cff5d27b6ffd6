package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;

/**
 * APO-zero (D'Oosterlinck et al. 2024, "Anchored Preference Optimization and Contrastive
 * Revisions", arXiv:2408.06266, Eq. 7): raises the chosen likelihood and lowers the rejected one,
 * each anchored at the reference — for chosen answers better than the model's own:
 *
 * <pre>  (1 − σ(β·rc)) + σ(β·rr)  =  σ(−β·rc) + σ(β·rr)</pre>
 *
 * TRL v1.9.0 {@code DPOTrainer._compute_loss}, {@code loss_type="apo_zero"}.
 */
public final class ApoZeroLoss extends ReferenceBasedLoss {

  public ApoZeroLoss(double beta) {
    super(beta);
  }

  @Override
  public String name() {
    return "apo_zero";
  }

  @Override
  protected NDArray losses(PreferenceBatchLogps b, NDArray rc, NDArray rr, NDArray betaNd) {
    return Numerics.sigmoid(rc.mul(betaNd).neg()).add(Numerics.sigmoid(rr.mul(betaNd)));
  }
}

package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;

/**
 * APO-down (D'Oosterlinck et al. 2024, "Anchored Preference Optimization and Contrastive
 * Revisions", arXiv:2408.06266, Eq. 8): lowers both likelihoods, the rejected one more — for
 * chosen answers worse than the model's own:
 *
 * <pre>  σ(β·rc) + (1 − σ(β·(rc − rr)))  =  σ(β·rc) + σ(−β·z)</pre>
 *
 * TRL v1.9.0 {@code DPOTrainer._compute_loss}, {@code loss_type="apo_down"}.
 */
public final class ApoDownLoss extends ReferenceBasedLoss {

  public ApoDownLoss(double beta) {
    super(beta);
  }

  @Override
  public String name() {
    return "apo_down";
  }

  @Override
  protected NDArray losses(PreferenceBatchLogps b, NDArray rc, NDArray rr, NDArray betaNd) {
    return Numerics.sigmoid(rc.mul(betaNd)).add(Numerics.sigmoid(rc.sub(rr).mul(betaNd).neg()));
  }
}

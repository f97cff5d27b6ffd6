package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;

/**
 * SPPO with hard labels (Wu et al. 2024, "Self-Play Preference Optimization for Language Model
 * Alignment", arXiv:2405.00675, Eq. 4.7 with P = 1 for the winner and 0 for the loser): pushes the
 * chosen log-ratio to +1/(2β) and the rejected one to −1/(2β):
 *
 * <pre>  (rc − 1/(2β))² + (rr + 1/(2β))²</pre>
 *
 * TRL v1.9.0 {@code DPOTrainer._compute_loss}, {@code loss_type="sppo_hard"}.
 */
public final class SppoHardLoss extends ReferenceBasedLoss {

  public SppoHardLoss(double beta) {
    super(beta);
  }

  @Override
  public String name() {
    return "sppo_hard";
  }

  @Override
  protected NDArray losses(PreferenceBatchLogps b, NDArray rc, NDArray rr, NDArray betaNd) {
    NDArray target = Numerics.scalar(rc, 0.5 / beta);
    return rc.sub(target).square().add(rr.add(target).square());
  }
}

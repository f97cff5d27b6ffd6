package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;

/**
 * A loss's per-pair result: the loss to average, and the implicit rewards that TRL logs as
 * {@code rewards/*}. All arrays have shape (B).
 *
 * @param losses per-pair loss (differentiable)
 * @param chosenRewards β·rc for reference-based losses, β·ℓc/nc for reference-free ones
 * @param rejectedRewards β·rr, or β·ℓr/nr
 */
public record PreferenceLossOutput(NDArray losses, NDArray chosenRewards, NDArray rejectedRewards) {

  /** The batch loss: mean over pairs, shape (). */
  public NDArray meanLoss() {
    return losses.mean();
  }
}

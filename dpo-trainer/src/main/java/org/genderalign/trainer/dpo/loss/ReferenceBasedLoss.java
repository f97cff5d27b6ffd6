package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;

/**
 * What every reference-based loss shares: β, the log-ratios rc = ℓc − ℓc_ref and
 * rr = ℓr − ℓr_ref, and the implicit rewards β·rc and β·rr that TRL logs as {@code rewards/*}
 * (whatever the loss). Subclasses give only the per-pair loss.
 */
abstract class ReferenceBasedLoss implements PreferenceLoss {

  protected final double beta;

  ReferenceBasedLoss(double beta) {
    this.beta = beta;
  }

  @Override
  public final boolean needsReference() {
    return true;
  }

  @Override
  public final PreferenceLossOutput compute(PreferenceBatchLogps b) {
    return compute(b, false);
  }

  @Override
  public final PreferenceLossOutput compute(PreferenceBatchLogps b, boolean training) {
    NDArray betaNd = Numerics.scalar(b.policyChosen(), beta);
    NDArray rc = b.chosenLogRatio(); // (B)
    NDArray rr = b.rejectedLogRatio(); // (B)
    return new PreferenceLossOutput(losses(b, rc, rr, betaNd, training), rc.mul(betaNd), rr.mul(betaNd));
  }

  /**
   * Per-pair losses {@code (B)}.
   *
   * @param b the batch (for completion-token counts and the raw log-probs)
   * @param rc chosen log-ratios {@code (B)}
   * @param rr rejected log-ratios {@code (B)}
   * @param betaNd β as an array of the inputs' type (never a Java number in the graph)
   */
  protected abstract NDArray losses(PreferenceBatchLogps b, NDArray rc, NDArray rr, NDArray betaNd);

  /** As {@link #losses(PreferenceBatchLogps, NDArray, NDArray, NDArray)}; a stateful loss updates its state when {@code training}. */
  protected NDArray losses(PreferenceBatchLogps b, NDArray rc, NDArray rr, NDArray betaNd, boolean training) {
    return losses(b, rc, rr, betaNd);
  }
}

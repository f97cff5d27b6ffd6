package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;

/**
 * IPO (Azar et al. 2023): (z̄ − 1/(2β))². By default z̄ = rc/nc − rr/nr, the length-normalised
 * form that TRL uses; with {@code lengthNormalized = false} it is z = rc − rr, as in
 * eric-mitchell's reference code and OpenRLHF. Rewards are β·rc and β·rr either way, so that the
 * logged {@code rewards/*} compare across losses.
 */
public final class IpoLoss extends ReferenceBasedLoss {

  private final boolean lengthNormalized;

  public IpoLoss(double beta, boolean lengthNormalized) {
    super(beta);
    this.lengthNormalized = lengthNormalized;
  }

  @Override
  public String name() {
    return "ipo";
  }

  @Override
  protected NDArray losses(PreferenceBatchLogps b, NDArray rc, NDArray rr, NDArray betaNd) {
    NDArray z = lengthNormalized
        ? rc.div(b.chosenCounts()).sub(rr.div(b.rejectedCounts()))
        : rc.sub(rr); // (B)
    return z.sub(Numerics.scalar(z, 1 / (2 * beta))).square();
  }
}

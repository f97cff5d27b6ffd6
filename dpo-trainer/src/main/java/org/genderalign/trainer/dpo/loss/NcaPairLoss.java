package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;

/**
 * NCA, pairwise form (Chen et al. 2024, "Noise Contrastive Alignment of Language Models with
 * Explicit Rewards", arXiv:2402.05369): with rewards a = β·rc and b = β·rr,
 *
 * <pre>  −log σ(a) − ½ log σ(−a) − ½ log σ(−b)</pre>
 *
 * which optimises each answer's absolute likelihood rather than only their difference. TRL v1.9.0
 * {@code DPOTrainer._compute_loss}, {@code loss_type="nca_pair"}; softplus form.
 */
public final class NcaPairLoss extends ReferenceBasedLoss {

  public NcaPairLoss(double beta) {
    super(beta);
  }

  @Override
  public String name() {
    return "nca_pair";
  }

  @Override
  protected NDArray losses(PreferenceBatchLogps b, NDArray rc, NDArray rr, NDArray betaNd) {
    NDArray a = rc.mul(betaNd); // (B)
    NDArray r = rr.mul(betaNd);
    NDArray half = Numerics.scalar(a, 0.5);
    return Numerics.softplus(a.neg()).add(Numerics.softplus(a).mul(half)).add(Numerics.softplus(r).mul(half));
  }
}

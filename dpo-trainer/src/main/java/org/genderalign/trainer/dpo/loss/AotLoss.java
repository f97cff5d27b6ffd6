package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;

/**
 * AOT, alignment via optimal transport (Melnyk et al. 2024, "Distributional Preference Alignment
 * of LLMs via Optimal Transport", arXiv:2406.05882): instead of comparing each pair with itself,
 * it compares the sorted distributions across the batch, which makes the chosen distribution
 * stochastically dominate the rejected one. Paired form ({@code aot}):
 *
 * <pre>  Δ = sort(ℓc − ℓr) − sort(ℓc_ref − ℓr_ref)</pre>
 *
 * unpaired form ({@code aot_unpaired}):
 *
 * <pre>  Δ = sort(rc) − sort(rr)</pre>
 *
 * each sorted ascending over the batch, then the (label-smoothed) logistic loss on the i-th
 * quantile: −(1 − ε) log σ(βΔ) − ε log σ(−βΔ). TRL v1.9.0 {@code DPOTrainer._compute_loss},
 * {@code loss_type="aot"} / {@code "aot_unpaired"}. Because the i-th loss belongs to a quantile,
 * not to pair i, it cannot take per-pair WPO weights (TRL refuses the combination too), and the
 * batch (each data-parallel shard) is the distribution: larger batches estimate it better.
 */
public final class AotLoss extends ReferenceBasedLoss {

  private final boolean paired;
  private final double eps;

  /**
   * @param paired {@code aot} (true) or {@code aot_unpaired} (false)
   * @param labelSmoothing ε in [0, 0.5)
   */
  public AotLoss(double beta, double labelSmoothing, boolean paired) {
    super(beta);
    this.paired = paired;
    this.eps = labelSmoothing;
  }

  @Override
  public String name() {
    return paired ? "aot" : "aot_unpaired";
  }

  @Override
  protected NDArray losses(PreferenceBatchLogps b, NDArray rc, NDArray rr, NDArray betaNd) {
    NDArray delta; // (B), quantile by quantile
    if (paired) {
      NDArray policy = b.policyChosen().sub(b.policyRejected()).sort(0);
      NDArray reference = b.referenceChosen().sub(b.referenceRejected()).sort(0);
      delta = policy.sub(reference);
    } else {
      delta = rc.sort(0).sub(rr.sort(0));
    }
    NDArray x = delta.mul(betaNd);
    NDArray losses = Numerics.negLogSigmoid(x);
    if (eps > 0) {
      losses = losses.mul(Numerics.scalar(x, 1 - eps)).add(Numerics.negLogSigmoid(x.neg()).mul(Numerics.scalar(x, eps)));
    }
    return losses;
  }
}

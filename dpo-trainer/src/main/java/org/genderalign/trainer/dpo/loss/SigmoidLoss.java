package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;

/**
 * DPO (Rafailov et al. 2023, arXiv:2305.18290): −log σ(βz), z = rc − rr — TRL v1.9.0
 * {@code loss_type="sigmoid"}, which ignores label smoothing. With label smoothing ε &gt; 0 it is
 * conservative DPO ({@code cdpo} in the registry): −(1−ε) log σ(βz) − ε log σ(−βz), the form of
 * eric-mitchell's reference code, OpenRLHF, LLaMA-Factory and TRL ≤ 0.28's {@code sigmoid}.
 */
public final class SigmoidLoss extends ReferenceBasedLoss {

  private final double eps;

  public SigmoidLoss(double beta, double labelSmoothing) {
    super(beta);
    this.eps = labelSmoothing;
  }

  @Override
  public String name() {
    return "sigmoid";
  }

  @Override
  protected NDArray losses(PreferenceBatchLogps b, NDArray rc, NDArray rr, NDArray betaNd) {
    NDArray logits = rc.sub(rr).mul(betaNd); // (B) βz
    NDArray losses = Numerics.negLogSigmoid(logits);
    if (eps > 0) {
      losses = losses.mul(Numerics.scalar(logits, 1 - eps))
          .add(Numerics.negLogSigmoid(logits.neg()).mul(Numerics.scalar(logits, eps)));
    }
    return losses;
  }
}

package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;

/**
 * Length-normalised DPO: −log σ(β(rc/nc − rr/nr)), each log-ratio divided by its completion's
 * token count — the "DPO w/ LN" ablation of SimPO (Meng et al. 2024, arXiv:2405.14734, App. I),
 * used with a reference model in Tülu 3 (Lambert et al. 2024, arXiv:2411.15124, §4.3). TRL v1.9.0
 * {@code DPOTrainer._compute_loss}, {@code loss_type="sigmoid_norm"}.
 */
public final class SigmoidNormLoss extends ReferenceBasedLoss {

  public SigmoidNormLoss(double beta) {
    super(beta);
  }

  @Override
  public String name() {
    return "sigmoid_norm";
  }

  @Override
  protected NDArray losses(PreferenceBatchLogps b, NDArray rc, NDArray rr, NDArray betaNd) {
    NDArray delta = rc.div(b.chosenCounts()).sub(rr.div(b.rejectedCounts())); // (B)
    return Numerics.negLogSigmoid(delta.mul(betaNd));
  }
}

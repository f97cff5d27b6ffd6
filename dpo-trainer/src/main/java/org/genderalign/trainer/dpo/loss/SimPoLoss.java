package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;

/**
 * SimPO (Meng et al. 2024), reference-free: −log σ(β(ℓc/nc − ℓr/nr) − γ). Rewards are the
 * length-normalised log-probs times β, as TRL logs them.
 */
public final class SimPoLoss implements PreferenceLoss {

  private final double beta;
  private final double gamma;

  public SimPoLoss(double beta, double gamma) {
    this.beta = beta;
    this.gamma = gamma;
  }

  @Override
  public String name() {
    return "simpo";
  }

  @Override
  public boolean needsReference() {
    return false;
  }

  @Override
  public PreferenceLossOutput compute(PreferenceBatchLogps b) {
    NDArray betaNd = Numerics.scalar(b.policyChosen(), beta);
    NDArray chosen = b.policyChosen().div(b.chosenCounts()).mul(betaNd); // (B) β·ℓ̄c
    NDArray rejected = b.policyRejected().div(b.rejectedCounts()).mul(betaNd);
    NDArray logits = chosen.sub(rejected).sub(Numerics.scalar(chosen, gamma));
    return new PreferenceLossOutput(Numerics.negLogSigmoid(logits), chosen, rejected);
  }
}

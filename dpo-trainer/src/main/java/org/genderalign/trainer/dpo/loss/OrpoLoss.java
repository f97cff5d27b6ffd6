package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;

/**
 * ORPO (Hong et al. 2024), reference-free: the chosen answer's mean token NLL plus λ times
 * −log σ(log-odds ratio), log_odds = (ℓ̄c − ℓ̄r) − (log(1 − e^ℓ̄c) − log(1 − e^ℓ̄r)),
 * ℓ̄ = ℓ/n. log(1 − e^x) goes through {@link Numerics#log1mExp}, so a completion whose
 * probability approaches one does not produce an infinite loss. Rewards are λ·ℓ̄, as TRL's
 * ORPO trainer logs them.
 */
public final class OrpoLoss implements PreferenceLoss {

  private final double lambda;

  public OrpoLoss(double lambda) {
    this.lambda = lambda;
  }

  @Override
  public String name() {
    return "orpo";
  }

  @Override
  public boolean needsReference() {
    return false;
  }

  @Override
  public PreferenceLossOutput compute(PreferenceBatchLogps b) {
    NDArray meanChosen = b.policyChosen().div(b.chosenCounts()); // (B) ℓ̄c
    NDArray meanRejected = b.policyRejected().div(b.rejectedCounts());
    NDArray logOdds = meanChosen.sub(meanRejected)
        .sub(Numerics.log1mExp(meanChosen).sub(Numerics.log1mExp(meanRejected)));
    NDArray lambdaNd = Numerics.scalar(meanChosen, lambda);
    NDArray losses = meanChosen.neg().add(Numerics.negLogSigmoid(logOdds).mul(lambdaNd));
    return new PreferenceLossOutput(losses, meanChosen.mul(lambdaNd), meanRejected.mul(lambdaNd));
  }
}

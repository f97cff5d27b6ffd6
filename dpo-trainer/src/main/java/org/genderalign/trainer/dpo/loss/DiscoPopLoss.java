package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;

/**
 * DiscoPOP, the log-ratio modulated loss (Lu et al. 2024, "Discovering Preference Optimization
 * Algorithms with and for Large Language Models", arXiv:2406.08414, Eq. 5): with x = βz,
 *
 * <pre>  (1 − σ(x/τ))·(−log σ(x)) + σ(x/τ)·e^{−x}</pre>
 *
 * a blend of the logistic and the exponential loss; τ = {@code discopop_tau} (default 0.05). TRL
 * v1.9.0 {@code DPOTrainer._compute_loss}, {@code loss_type="discopop"}.
 *
 * <p>TRL evaluates e^{−x} on its own, which overflows to ∞ for x below ≈ −89 (float32) and gives
 * ∞·0 = NaN once σ(x/τ) underflows. Here the exponential term is e^{−x + log σ(x/τ)}, one
 * exponent that stays finite (for τ &lt; 1 it tends to 0 as x → −∞, as the true value does), and
 * 1 − σ(x/τ) is σ(−x/τ): the loss and its gradient are finite for every finite margin.
 */
public final class DiscoPopLoss extends ReferenceBasedLoss {

  private final double tau;

  public DiscoPopLoss(double beta, double tau) {
    super(beta);
    if (!(tau > 0) || Double.isInfinite(tau)) {
      throw new IllegalArgumentException("discopop tau must be > 0 and finite, got " + tau);
    }
    this.tau = tau;
  }

  @Override
  public String name() {
    return "discopop";
  }

  @Override
  protected NDArray losses(PreferenceBatchLogps b, NDArray rc, NDArray rr, NDArray betaNd) {
    NDArray x = rc.sub(rr).mul(betaNd); // (B)
    NDArray xt = x.div(Numerics.scalar(x, tau));
    NDArray logistic = Numerics.negLogSigmoid(x).mul(Numerics.sigmoid(xt.neg()));
    NDArray exponential = x.neg().add(Numerics.logSigmoid(xt)).exp();
    return logistic.add(exponential);
  }
}

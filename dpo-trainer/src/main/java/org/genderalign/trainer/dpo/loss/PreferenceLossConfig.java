package org.genderalign.trainer.dpo.loss;

/**
 * Hyper-parameters of the preference losses, validated when built. Defaults are TRL's.
 *
 * @param name loss name (see {@link PreferenceLosses#names()})
 * @param beta β &gt; 0, the inverse temperature (KL strength)
 * @param labelSmoothing ε for cDPO ({@code sigmoid}) and {@code robust}: in [0, 0.5)
 * @param ipoLengthNormalized IPO on length-normalised log-ratios (TRL) or on summed ones
 *     (eric-mitchell, OpenRLHF)
 * @param simpoGamma γ, SimPO's target reward margin
 * @param orpoLambda λ, the weight of ORPO's odds-ratio term
 */
public record PreferenceLossConfig(
    String name,
    double beta,
    double labelSmoothing,
    boolean ipoLengthNormalized,
    double simpoGamma,
    double orpoLambda) {

  /** TRL's default loss. */
  public static final String DEFAULT_NAME = "sigmoid";
  /** TRL's default β. */
  public static final double DEFAULT_BETA = 0.1;
  /** No label smoothing: plain DPO. */
  public static final double DEFAULT_LABEL_SMOOTHING = 0.0;
  /** IPO is length-normalised by default, as in TRL (Azar et al. state it per sequence). */
  public static final boolean DEFAULT_IPO_LENGTH_NORMALIZED = true;
  /** SimPO's γ: TRL's {@code simpo_gamma} default. */
  public static final double DEFAULT_SIMPO_GAMMA = 0.5;
  /** ORPO's λ: TRL's ORPOConfig β default (0.1), which weights the odds-ratio term. */
  public static final double DEFAULT_ORPO_LAMBDA = 0.1;

  public PreferenceLossConfig {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("loss name is required");
    }
    if (!(beta > 0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("beta must be > 0 and finite, got " + beta);
    }
    if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
      throw new IllegalArgumentException("label smoothing must be in [0, 0.5), got " + labelSmoothing);
    }
    if (!Double.isFinite(simpoGamma)) {
      throw new IllegalArgumentException("simpo gamma must be finite, got " + simpoGamma);
    }
    if (!(orpoLambda >= 0) || Double.isInfinite(orpoLambda)) {
      throw new IllegalArgumentException("orpo lambda must be >= 0, got " + orpoLambda);
    }
  }

  /** The defaults with the given loss and β. */
  public static PreferenceLossConfig of(String name, double beta) {
    return new PreferenceLossConfig(name, beta, DEFAULT_LABEL_SMOOTHING, DEFAULT_IPO_LENGTH_NORMALIZED,
        DEFAULT_SIMPO_GAMMA, DEFAULT_ORPO_LAMBDA);
  }

  /** Plain DPO with β = 0.1. */
  public static PreferenceLossConfig defaults() {
    return of(DEFAULT_NAME, DEFAULT_BETA);
  }

  public PreferenceLossConfig withLabelSmoothing(double eps) {
    return new PreferenceLossConfig(name, beta, eps, ipoLengthNormalized, simpoGamma, orpoLambda);
  }

  public PreferenceLossConfig withIpoLengthNormalized(boolean normalized) {
    return new PreferenceLossConfig(name, beta, labelSmoothing, normalized, simpoGamma, orpoLambda);
  }

  public PreferenceLossConfig withSimpoGamma(double gamma) {
    return new PreferenceLossConfig(name, beta, labelSmoothing, ipoLengthNormalized, gamma, orpoLambda);
  }

  public PreferenceLossConfig withOrpoLambda(double lambda) {
    return new PreferenceLossConfig(name, beta, labelSmoothing, ipoLengthNormalized, simpoGamma, lambda);
  }
}

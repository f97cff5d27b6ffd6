package org.genderalign.trainer.grpo;

import java.util.List;
import java.util.Locale;

/**
 * The GRPO loss's hyper-parameters, named and defaulted as TRL's {@code GRPOConfig}.
 *
 * @param beta KL coefficient (0: no reference model is needed)
 * @param epsilon lower clipping bound ε_low: ratios below 1 − ε are clipped
 * @param epsilonHigh upper clipping bound ε_high: ratios above 1 + ε_high are clipped (null = ε)
 * @param lossType {@code dapo} (TRL's default: tokens of the whole step), {@code grpo} (per-sequence
 *     token means), {@code bnpo} (tokens of the micro-batch) or {@code dr_grpo} (a constant:
 *     rows × {@code maxCompletionLength})
 * @param maxCompletionLength {@code dr_grpo}'s constant (TRL's {@code max_completion_length})
 */
public record GrpoLossConfig(double beta, double epsilon, Double epsilonHigh, String lossType,
    int maxCompletionLength) {

  /** TRL's default: no KL term and no reference model. */
  public static final double DEFAULT_BETA = 0.0;
  public static final double DEFAULT_EPSILON = 0.2;
  /** TRL's default loss type since it replaced {@code bnpo}. */
  public static final String DEFAULT_LOSS_TYPE = "dapo";
  public static final List<String> LOSS_TYPES = List.of("dapo", "grpo", "bnpo", "dr_grpo");

  public GrpoLossConfig {
    if (!(beta >= 0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("beta must be >= 0 and finite, got " + beta);
    }
    if (!(epsilon >= 0) || epsilon >= 1) {
      throw new IllegalArgumentException("epsilon must be in [0, 1), got " + epsilon);
    }
    if (epsilonHigh != null && (!(epsilonHigh >= 0) || Double.isInfinite(epsilonHigh))) {
      throw new IllegalArgumentException("epsilon high must be >= 0 and finite, got " + epsilonHigh);
    }
    lossType = lossType == null ? DEFAULT_LOSS_TYPE : lossType.toLowerCase(Locale.ROOT);
    if (!LOSS_TYPES.contains(lossType)) {
      throw new IllegalArgumentException("unknown loss type '" + lossType + "'; expected one of "
          + String.join(", ", LOSS_TYPES));
    }
    if (maxCompletionLength < 1) {
      throw new IllegalArgumentException("max completion length must be >= 1, got " + maxCompletionLength);
    }
  }

  /** ε_high, or ε when it is not set. */
  public double upperEpsilon() {
    return epsilonHigh != null ? epsilonHigh : epsilon;
  }
}

package org.genderalign.trainer.kto;

import java.util.List;
import java.util.Optional;
import lombok.With;

/**
 * The KTO objective, with TRL v1.9.0 {@code KTOConfig}'s names and defaults.
 *
 * @param lossType {@code kto} (default) or {@code apo_zero_unpaired}
 * @param beta β &gt; 0
 * @param desirableWeight weight of the desirable examples' losses (TRL {@code desirable_weight}, 1)
 * @param undesirableWeight weight of the undesirable examples' losses ({@code undesirable_weight}, 1)
 */
@With
public record KtoLossConfig(String lossType, double beta, double desirableWeight, double undesirableWeight) {

  /** The loss types of TRL's KTOTrainer. */
  public static final List<String> LOSS_TYPES = List.of("kto", "apo_zero_unpaired");
  public static final String DEFAULT_LOSS_TYPE = "kto";
  public static final double DEFAULT_BETA = 0.1;
  public static final double DEFAULT_DESIRABLE_WEIGHT = 1.0;
  public static final double DEFAULT_UNDESIRABLE_WEIGHT = 1.0;

  public KtoLossConfig {
    if (lossType == null || !LOSS_TYPES.contains(lossType)) {
      throw new IllegalArgumentException("unknown KTO loss '" + lossType + "'; expected one of " + LOSS_TYPES);
    }
    if (!(beta > 0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("beta must be > 0 and finite, got " + beta);
    }
    for (double w : new double[] {desirableWeight, undesirableWeight}) {
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("desirable and undesirable weights must be finite and >= 0, got " + w);
      }
    }
    if (desirableWeight == 0 && undesirableWeight == 0) {
      throw new IllegalArgumentException("desirable and undesirable weights cannot both be 0");
    }
  }

  /** TRL's defaults. */
  public static KtoLossConfig defaults() {
    return new KtoLossConfig(DEFAULT_LOSS_TYPE, DEFAULT_BETA, DEFAULT_DESIRABLE_WEIGHT, DEFAULT_UNDESIRABLE_WEIGHT);
  }

  /** Whether the loss uses the KL baseline (every type but {@code apo_zero_unpaired}). */
  public boolean needsKl() {
    return !lossType.equals("apo_zero_unpaired");
  }

  /**
   * TRL's advice when the data hold unequal numbers of desirable and undesirable examples and
   * neither weight lies in the range Eq. 8 of the KTO paper suggests (TRL warns the same way,
   * with the same bounds rounded to two decimals); empty when the weights are fine.
   */
  public Optional<String> weightAdvice(int desirable, int undesirable) {
    int nd = Math.max(desirable, 1);
    int nu = Math.max(undesirable, 1);
    if (nd == nu) {
      return Optional.empty();
    }
    double desLow = round2(nu * undesirableWeight / nd);
    double desHigh = round2(nu * undesirableWeight / nd * 1.33);
    double undLow = round2(nd * desirableWeight / nu / 1.33);
    double undHigh = round2(nd * desirableWeight / nu);
    boolean desOk = desLow <= desirableWeight && desirableWeight <= desHigh;
    boolean undOk = undLow <= undesirableWeight && undesirableWeight <= undHigh;
    if (desOk || undOk) {
      return Optional.empty();
    }
    return Optional.of(String.format(java.util.Locale.ROOT, "%d desirable and %d undesirable examples: the KTO paper "
        + "(Eq. 8) suggests EITHER desirable weight in [%.2f, %.2f] OR undesirable weight in [%.2f, %.2f] (not both)",
        desirable, undesirable, desLow, desHigh, undLow, undHigh));
  }

  private static double round2(double x) {
    return Math.round(x * 100) / 100.0;
  }
}

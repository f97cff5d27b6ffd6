package org.genderalign.trainer.dpo.loss;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import lombok.With;

/**
 * The preference objective and its hyper-parameters, validated when built, with TRL's
 * {@code DPOConfig} names and defaults (TRL v1.9.0) where TRL has the option.
 *
 * @param lossTypes TRL's {@code loss_type}: one or more loss names (see
 *     {@link PreferenceLosses#names()}), each at most once
 * @param lossWeights TRL's {@code loss_weights}: one finite weight ≥ 0 per loss (null = all 1)
 * @param beta β &gt; 0, the inverse temperature (KL strength)
 * @param labelSmoothing TRL's {@code label_smoothing} ε in [0, 0.5): the label-noise rate of
 *     {@code cdpo} and {@code exo_pair} (both need ε &gt; 0, checked when the loss is created),
 *     {@code robust}, {@code aot} and
 *     {@code aot_unpaired}; the other losses ignore it, and giving it when no listed loss uses
 *     it is an error (TRL ≥ 0.29's {@code sigmoid} ignores it: conservative DPO is {@code cdpo})
 * @param ipoLengthNormalized IPO on length-normalised log-ratios (TRL) or on summed ones
 *     (eric-mitchell, OpenRLHF)
 * @param simpoGamma γ, SimPO's target reward margin
 * @param orpoLambda λ, the weight of ORPO's odds-ratio term
 * @param discopopTau TRL's {@code discopop_tau} τ &gt; 0
 * @param useWeighting TRL's {@code use_weighting}: WPO pair weights (not with {@code aot},
 *     {@code aot_unpaired} — as TRL — nor {@code sft}, on which TRL v1.9.0 fails)
 * @param ldAlpha TRL's {@code ld_alpha}: LD-DPO's weight α ∈ [0, 1] of the longer answer's tokens
 *     beyond the shorter one's length, or null for plain sums
 * @param bcoRunningBaseline {@code bco_pair} with TRL ≤ 0.28's running reward baseline (see
 *     {@link BcoPairLoss}); needs {@code bco_pair} in {@code lossTypes}
 */
@With
public record PreferenceLossConfig(
    List<String> lossTypes,
    List<Double> lossWeights,
    double beta,
    double labelSmoothing,
    boolean ipoLengthNormalized,
    double simpoGamma,
    double orpoLambda,
    double discopopTau,
    boolean useWeighting,
    Double ldAlpha,
    boolean bcoRunningBaseline) {

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
  /** TRL's {@code discopop_tau} default (the DiscoPOP paper's value). */
  public static final double DEFAULT_DISCOPOP_TAU = 0.05;

  public PreferenceLossConfig {
    if (lossTypes == null || lossTypes.isEmpty()) {
      throw new IllegalArgumentException("loss name is required");
    }
    lossTypes = List.copyOf(lossTypes);
    Set<String> seen = new HashSet<>();
    for (String t : lossTypes) {
      if (t == null || t.isBlank()) {
        throw new IllegalArgumentException("loss name is required");
      }
      if (!PreferenceLosses.names().contains(t)) {
        throw new IllegalArgumentException("unknown loss '" + t + "'; expected one of " + PreferenceLosses.names());
      }
      if (!seen.add(t)) {
        throw new IllegalArgumentException("loss '" + t + "' is listed twice");
      }
    }
    if (lossWeights == null) {
      lossWeights = Collections.nCopies(lossTypes.size(), 1.0);
    }
    lossWeights = List.copyOf(lossWeights);
    if (lossWeights.size() != lossTypes.size()) {
      throw new IllegalArgumentException("loss weights must have the same length as the losses: got "
          + lossWeights.size() + " weights for " + lossTypes.size() + " losses");
    }
    for (Double w : lossWeights) {
      if (w == null || !(w >= 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("loss weights must be finite and >= 0, got " + w);
      }
    }
    if (!(beta > 0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("beta must be > 0 and finite, got " + beta);
    }
    if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
      throw new IllegalArgumentException("label smoothing must be in [0, 0.5), got " + labelSmoothing);
    }
    if (labelSmoothing > 0 && lossTypes.stream().noneMatch(PreferenceLosses::usesLabelSmoothing)) {
      throw new IllegalArgumentException("label smoothing " + labelSmoothing + " is not used by " + lossTypes
          + " (only " + PreferenceLosses.LABEL_SMOOTHING_LOSSES + " use it; for conservative DPO use 'cdpo': "
          + "TRL's 'sigmoid' ignores label smoothing since 0.29)");
    }
    if (!Double.isFinite(simpoGamma)) {
      throw new IllegalArgumentException("simpo gamma must be finite, got " + simpoGamma);
    }
    if (!(orpoLambda >= 0) || Double.isInfinite(orpoLambda)) {
      throw new IllegalArgumentException("orpo lambda must be >= 0, got " + orpoLambda);
    }
    if (!(discopopTau > 0) || Double.isInfinite(discopopTau)) {
      throw new IllegalArgumentException("discopop tau must be > 0 and finite, got " + discopopTau);
    }
    if (useWeighting) {
      for (String t : List.of("aot", "aot_unpaired", "sft")) {
        if (lossTypes.contains(t)) {
          throw new IllegalArgumentException("WPO weighting (use_weighting) does not apply to '" + t + "': "
              + (t.equals("sft") ? "its value is one token mean for the whole batch, not a per-pair loss (TRL "
                  + "v1.9.0 fails on this combination)"
                  : "it sorts the batch, so its i-th loss belongs to no single pair (TRL refuses it too)"));
        }
      }
    }
    if (ldAlpha != null && !(ldAlpha >= 0 && ldAlpha <= 1)) {
      throw new IllegalArgumentException("ld_alpha must be in [0, 1], got " + ldAlpha);
    }
    if (bcoRunningBaseline && !lossTypes.contains("bco_pair")) {
      throw new IllegalArgumentException("the BCO running baseline needs 'bco_pair' among the losses");
    }
  }

  /** The old single-loss form (no mixture, WPO, LD-DPO or BCO baseline; default DiscoPOP τ). */
  public PreferenceLossConfig(String name, double beta, double labelSmoothing, boolean ipoLengthNormalized,
      double simpoGamma, double orpoLambda) {
    this(List.of(Objects.requireNonNull(name, "loss name is required")), null, beta, labelSmoothing,
        ipoLengthNormalized, simpoGamma, orpoLambda, DEFAULT_DISCOPOP_TAU, false, null, false);
  }

  /** The defaults with the given loss and β. */
  public static PreferenceLossConfig of(String name, double beta) {
    return new PreferenceLossConfig(name, beta, DEFAULT_LABEL_SMOOTHING, DEFAULT_IPO_LENGTH_NORMALIZED,
        DEFAULT_SIMPO_GAMMA, DEFAULT_ORPO_LAMBDA);
  }

  /** The defaults with several weighted losses (TRL's {@code loss_type} list and {@code loss_weights}). */
  public static PreferenceLossConfig mixture(List<String> lossTypes, List<Double> lossWeights, double beta) {
    return new PreferenceLossConfig(new ArrayList<>(lossTypes), lossWeights, beta, DEFAULT_LABEL_SMOOTHING,
        DEFAULT_IPO_LENGTH_NORMALIZED, DEFAULT_SIMPO_GAMMA, DEFAULT_ORPO_LAMBDA, DEFAULT_DISCOPOP_TAU, false, null,
        false);
  }

  /** Plain DPO with β = 0.1. */
  public static PreferenceLossConfig defaults() {
    return of(DEFAULT_NAME, DEFAULT_BETA);
  }

  /** The loss names joined with commas ({@code sigmoid,bco_pair,sft}). */
  public String name() {
    return String.join(",", lossTypes);
  }

  /** Whether the objective is a single loss without WPO (then no {@link CombinedLoss} is needed). */
  public boolean isSingle() {
    return lossTypes.size() == 1 && !useWeighting && lossWeights.get(0) == 1.0;
  }
}

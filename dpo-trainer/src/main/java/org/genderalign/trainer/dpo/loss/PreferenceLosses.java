package org.genderalign.trainer.dpo.loss;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The registry of preference losses by name: every {@code loss_type} of TRL v1.9.0's
 * {@code DPOTrainer} ({@code sigmoid}, {@code hinge}, {@code ipo}, {@code exo_pair},
 * {@code nca_pair}, {@code robust}, {@code bco_pair}, {@code sppo_hard}, {@code aot},
 * {@code aot_unpaired}, {@code apo_zero}, {@code apo_down}, {@code discopop}, {@code sft},
 * {@code sigmoid_norm}), plus {@code cdpo} (DPO with label smoothing, TRL ≤ 0.28's
 * {@code sigmoid}; needs ε &gt; 0) and the reference-free {@code simpo} and {@code orpo} (TRL's
 * CPO and ORPO trainers). Adding a loss means adding its class and one line here.
 */
public final class PreferenceLosses {

  /** The losses that read {@code label_smoothing}. */
  public static final Set<String> LABEL_SMOOTHING_LOSSES = Set.of("cdpo", "robust", "exo_pair", "aot", "aot_unpaired");

  private static final Map<String, Function<PreferenceLossConfig, PreferenceLoss>> FACTORIES =
      new LinkedHashMap<>();

  static {
    FACTORIES.put("sigmoid", c -> new SigmoidLoss(c.beta(), 0));
    FACTORIES.put("cdpo", c -> {
      if (c.labelSmoothing() <= 0) {
        throw new IllegalArgumentException("cdpo needs label smoothing > 0 (e.g. 0.1)");
      }
      return new SigmoidLoss(c.beta(), c.labelSmoothing());
    });
    FACTORIES.put("robust", c -> new RobustLoss(c.beta(), c.labelSmoothing()));
    FACTORIES.put("hinge", c -> new HingeLoss(c.beta()));
    FACTORIES.put("ipo", c -> new IpoLoss(c.beta(), c.ipoLengthNormalized()));
    FACTORIES.put("exo_pair", c -> new ExoPairLoss(c.beta(), c.labelSmoothing()));
    FACTORIES.put("nca_pair", c -> new NcaPairLoss(c.beta()));
    FACTORIES.put("bco_pair", c -> new BcoPairLoss(c.beta(), c.bcoRunningBaseline()));
    FACTORIES.put("sppo_hard", c -> new SppoHardLoss(c.beta()));
    FACTORIES.put("aot", c -> new AotLoss(c.beta(), c.labelSmoothing(), true));
    FACTORIES.put("aot_unpaired", c -> new AotLoss(c.beta(), c.labelSmoothing(), false));
    FACTORIES.put("apo_zero", c -> new ApoZeroLoss(c.beta()));
    FACTORIES.put("apo_down", c -> new ApoDownLoss(c.beta()));
    FACTORIES.put("discopop", c -> new DiscoPopLoss(c.beta(), c.discopopTau()));
    FACTORIES.put("sigmoid_norm", c -> new SigmoidNormLoss(c.beta()));
    FACTORIES.put("sft", c -> new SftLoss(c.beta()));
    FACTORIES.put("simpo", c -> new SimPoLoss(c.beta(), c.simpoGamma()));
    FACTORIES.put("orpo", c -> new OrpoLoss(c.orpoLambda()));
  }

  private PreferenceLosses() {}

  /** The registered names, in a stable order. */
  public static List<String> names() {
    return List.copyOf(FACTORIES.keySet());
  }

  /** Whether the named loss reads {@code label_smoothing}. */
  public static boolean usesLabelSmoothing(String name) {
    return LABEL_SMOOTHING_LOSSES.contains(name);
  }

  /**
   * The objective {@code config} describes: the named loss itself, or a {@link CombinedLoss}
   * for several losses, loss weights other than 1, or WPO weighting.
   *
   * @throws IllegalArgumentException for an unknown name or a loss's own invalid setting
   */
  public static PreferenceLoss create(PreferenceLossConfig config) {
    List<PreferenceLoss> parts = new ArrayList<>();
    for (String name : config.lossTypes()) {
      Function<PreferenceLossConfig, PreferenceLoss> f = FACTORIES.get(name);
      if (f == null) {
        throw new IllegalArgumentException("unknown loss '" + name + "'; expected one of " + names());
      }
      parts.add(f.apply(config));
    }
    return config.isSingle() ? parts.get(0) : new CombinedLoss(parts, config.lossWeights(), config.useWeighting());
  }
}

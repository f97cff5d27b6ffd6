package org.genderalign.trainer.dpo.loss;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The registry of preference losses by name. Adding a loss means adding its class and one line
 * here. {@code cdpo} is an alias of {@code sigmoid} that requires ε &gt; 0.
 */
public final class PreferenceLosses {

  private static final Map<String, Function<PreferenceLossConfig, PreferenceLoss>> FACTORIES =
      new LinkedHashMap<>();

  static {
    FACTORIES.put("sigmoid", c -> new SigmoidLoss(c.beta(), c.labelSmoothing()));
    FACTORIES.put("cdpo", c -> {
      if (c.labelSmoothing() <= 0) {
        throw new IllegalArgumentException("cdpo needs label smoothing > 0 (e.g. 0.1)");
      }
      return new SigmoidLoss(c.beta(), c.labelSmoothing());
    });
    FACTORIES.put("robust", c -> new RobustLoss(c.beta(), c.labelSmoothing()));
    FACTORIES.put("hinge", c -> new HingeLoss(c.beta()));
    FACTORIES.put("ipo", c -> new IpoLoss(c.beta(), c.ipoLengthNormalized()));
    FACTORIES.put("simpo", c -> new SimPoLoss(c.beta(), c.simpoGamma()));
    FACTORIES.put("orpo", c -> new OrpoLoss(c.orpoLambda()));
  }

  private PreferenceLosses() {}

  /** The registered names, in a stable order. */
  public static List<String> names() {
    return List.copyOf(FACTORIES.keySet());
  }

  /** The loss that {@code config} names; IllegalArgumentException for an unknown name. */
  public static PreferenceLoss create(PreferenceLossConfig config) {
    Function<PreferenceLossConfig, PreferenceLoss> f = FACTORIES.get(config.name());
    if (f == null) {
      throw new IllegalArgumentException("unknown loss '" + config.name() + "'; expected one of " + names());
    }
    return f.apply(config);
  }
}

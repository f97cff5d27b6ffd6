package org.genderalign.builder.filter;

import java.util.ArrayList;
import java.util.List;
import org.genderalign.builder.config.FilterConfig;

/** The filter chain of a build config, in the order they run. */
public final class Filters {

  private Filters() {}

  /** Filters that need no classification, cheapest first. */
  public static List<CandidateFilter> cheap(FilterConfig cfg) {
    return List.of(new GenerationFailureFilter(), new LengthFilter(cfg), new RefusalFilter(),
        new NearDuplicateFilter(cfg.nearDuplicateThreshold()));
  }

  /** Filters that need the taxonomy's classifications (a proxy that needs no model: heuristic or none). */
  public static List<CandidateFilter> classified(FilterConfig cfg) {
    return classified(cfg, rewardProxy(cfg.rewardProxy()));
  }

  /**
   * Filters that need the taxonomy's classifications, the reward-guided one with {@code proxy}
   * (null: none; see {@link RewardProxies#open} for model-backed proxies).
   */
  public static List<CandidateFilter> classified(FilterConfig cfg, RewardProxy proxy) {
    List<CandidateFilter> out = new ArrayList<>();
    if (cfg.dropBiasedChosen()) {
      out.add(new BiasedChosenFilter(cfg.biasedChosenMinConfidence()));
    }
    if (proxy != null) {
      out.add(new RewardFilter(proxy, cfg.rewardMargin()));
    }
    return out;
  }

  /** The model-free reward proxy called {@code name}, or null for {@code none}. */
  public static RewardProxy rewardProxy(String name) {
    return switch (name) {
      case "heuristic" -> new HeuristicRewardProxy();
      case "none" -> null;
      case "model" -> throw new IllegalArgumentException("the 'model' reward proxy needs a model: open it with "
          + "RewardProxies.open");
      default -> throw new IllegalArgumentException("unknown reward proxy '" + name
          + "'; expected heuristic, model or none");
    };
  }
}

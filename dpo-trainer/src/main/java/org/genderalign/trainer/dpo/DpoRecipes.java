package org.genderalign.trainer.dpo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Published recipes that combine preference losses and options, by the name the CLI's
 * {@code --preset} takes; each is the configuration TRL's paper index gives for it (TRL v1.9.0
 * {@code docs/source/paper_index.md}). A recipe fills only what the user did not set.
 */
public final class DpoRecipes {

  /**
   * One recipe.
   *
   * @param name the preset name
   * @param lossTypes TRL {@code loss_type}
   * @param lossWeights TRL {@code loss_weights}, or null for all 1
   * @param beta β, or null for the default
   * @param learningRate the paper's learning rate, or null
   * @param useWeighting WPO weighting
   * @param ldAlpha LD-DPO's α, or null
   * @param source the paper and where in it
   */
  public record Recipe(String name, List<String> lossTypes, List<Double> lossWeights, Double beta,
      Double learningRate, boolean useWeighting, Double ldAlpha, String source) {}

  private static final Map<String, Recipe> RECIPES = new LinkedHashMap<>();

  static {
    add(new Recipe("mpo", List.of("sigmoid", "bco_pair", "sft"), List.of(0.8, 0.2, 1.0), null, 5e-6, false, null,
        "MPO: Wang et al. 2024, Enhancing the Reasoning Ability of Multimodal LLMs via Mixed Preference "
            + "Optimization, arXiv:2411.10442 (Section 3.2 losses, Section 7 weights and learning rate)"));
    add(new Recipe("rpo", List.of("sigmoid", "sft"), List.of(1.0, 0.005), 0.01, 5e-7, false, null,
        "RPO: Liu et al. 2024, Provably Mitigating Overoptimization in RLHF: Your SFT Loss is Implicitly an "
            + "Adversarial Regularizer, arXiv:2405.16436 (Appendix E.1: eta = 0.005, beta = 0.01, lr 5e-7)"));
    add(new Recipe("irpo", List.of("sigmoid", "sft"), List.of(1.0, 1.0), null, null, false, null,
        "Iterative RPO: Pang et al. 2024, Iterative Reasoning Preference Optimization, arXiv:2404.19733 "
            + "(DPO + NLL, alpha = 1; one iteration: regenerating the pairs is up to you)"));
    add(new Recipe("wpo", List.of("sigmoid"), null, 0.01, null, true, null,
        "WPO: Zhou et al. 2024, WPO: Enhancing RLHF with Weighted Preference Optimization, arXiv:2406.11827 "
            + "(Section 4: beta = 0.01)"));
    add(new Recipe("ld-dpo", List.of("sigmoid"), null, null, null, false, 0.5,
        "LD-DPO: Liu et al. 2024, Length Desensitization in Direct Preference Optimization, arXiv:2409.06411 "
            + "(alpha = 0.5, the suggested starting point)"));
  }

  private DpoRecipes() {}

  private static void add(Recipe r) {
    RECIPES.put(r.name(), r);
  }

  /** The recipe names, in a stable order. */
  public static Set<String> names() {
    return RECIPES.keySet();
  }

  /** The recipe called {@code name}; IllegalArgumentException for an unknown one. */
  public static Recipe named(String name) {
    Recipe r = RECIPES.get(name);
    if (r == null) {
      throw new IllegalArgumentException("unknown recipe '" + name + "'; known: " + String.join(", ", RECIPES.keySet()));
    }
    return r;
  }
}

package org.genderalign.trainer.lora;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LoRA settings.
 *
 * @param rank r ≥ 1
 * @param alpha α; the update is scaled by α / r
 * @param dropout dropout on the adapter's input, in [0, 1)
 * @param targets projection names the adapters go on: llama2.c names ({@code wq wk wv wo w1 w2
 *     w3 output}) or their Hugging Face equivalents ({@code q_proj … down_proj up_proj lm_head})
 */
public record LoraConfig(int rank, double alpha, double dropout, List<String> targets) {

  /** PEFT's default rank. */
  public static final int DEFAULT_RANK = 8;
  /** PEFT's default α. */
  public static final double DEFAULT_ALPHA = 16;
  public static final double DEFAULT_DROPOUT = 0.05;
  /** Attention and MLP projections ("all linear" of QLoRA, which the paper used). */
  public static final List<String> DEFAULT_TARGETS = List.of("wq", "wk", "wv", "wo", "w1", "w2", "w3");

  private static final Map<String, String> HF_NAMES = Map.of(
      "q_proj", "wq", "k_proj", "wk", "v_proj", "wv", "o_proj", "wo",
      "gate_proj", "w1", "down_proj", "w2", "up_proj", "w3", "lm_head", "output");

  public LoraConfig {
    if (rank < 1) {
      throw new IllegalArgumentException("LoRA rank must be >= 1, got " + rank);
    }
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("LoRA alpha must be > 0, got " + alpha);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
    }
    if (targets == null || targets.isEmpty()) {
      throw new IllegalArgumentException("LoRA needs at least one target projection");
    }
    targets = targets.stream().map(t -> HF_NAMES.getOrDefault(t.trim().toLowerCase(Locale.ROOT), t.trim())).toList();
    for (String t : targets) {
      if (!List.of("wq", "wk", "wv", "wo", "w1", "w2", "w3", "output").contains(t)) {
        throw new IllegalArgumentException("unknown LoRA target '" + t + "'; expected wq wk wv wo w1 w2 w3 output "
            + "(or q_proj k_proj v_proj o_proj gate_proj down_proj up_proj lm_head)");
      }
    }
  }

  public static LoraConfig of(int rank, double alpha) {
    return new LoraConfig(rank, alpha, DEFAULT_DROPOUT, DEFAULT_TARGETS);
  }

  /** α / r. */
  public double scaling() {
    return alpha / rank;
  }

  /** Whether the projection with dotted name {@code name} is a target. */
  public boolean targets(String projectionName) {
    String last = projectionName.substring(projectionName.lastIndexOf('.') + 1);
    return targets.contains(last);
  }
}

package org.genderalign.trainer.grpo;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.genderalign.trainer.reward.RewardFunction;

/**
 * GRPO's reward functions and their weights (TRL's {@code reward_funcs} and
 * {@code reward_weights}): each completion's reward is Σ_k w_k · r_k, summed in float32 as TRL does.
 */
public final class WeightedRewards {

  private final List<RewardFunction> functions;
  private final float[] weights;

  /**
   * @param functions at least one, with distinct names
   * @param weights one per function, or null for all 1 (TRL's default)
   */
  public WeightedRewards(List<RewardFunction> functions, double[] weights) {
    this.functions = List.copyOf(functions);
    if (this.functions.isEmpty()) {
      throw new IllegalArgumentException("GRPO needs at least one reward function");
    }
    Set<String> names = new HashSet<>();
    for (RewardFunction f : this.functions) {
      if (!names.add(Objects.requireNonNull(f.name()))) {
        throw new IllegalArgumentException("two reward functions are named '" + f.name() + "'");
      }
    }
    if (weights != null && weights.length != this.functions.size()) {
      throw new IllegalArgumentException("reward weights: " + weights.length + " given for "
          + this.functions.size() + " reward functions");
    }
    this.weights = new float[this.functions.size()];
    for (int k = 0; k < this.weights.length; k++) {
      double w = weights == null ? 1 : weights[k];
      if (!Double.isFinite(w)) {
        throw new IllegalArgumentException("reward weights must be finite, got " + w);
      }
      this.weights[k] = (float) w;
    }
  }

  public List<RewardFunction> functions() {
    return functions;
  }

  public float[] weights() {
    return weights.clone();
  }

  /** The functions' names, in order. */
  public List<String> names() {
    return functions.stream().map(RewardFunction::name).toList();
  }

  /**
   * @param perFunction {@code [k][i]}: function k's reward of completion i
   * @param total the weighted sums
   */
  public record Scores(float[][] perFunction, float[] total) {}

  /** Scores every completion with every function. */
  public Scores score(List<String> prompts, List<String> completions, List<int[]> completionIds) {
    int n = completions.size();
    float[][] per = new float[functions.size()][];
    for (int k = 0; k < per.length; k++) {
      RewardFunction f = functions.get(k);
      per[k] = f.rewards(prompts, completions, completionIds);
      if (per[k].length != n) {
        throw new IllegalStateException("reward function " + f.name() + " returned " + per[k].length
            + " rewards for " + n + " completions");
      }
      for (int i = 0; i < n; i++) {
        if (!Float.isFinite(per[k][i])) {
          throw new IllegalStateException("reward function " + f.name() + " returned " + per[k][i]
              + " for completion " + i + ": " + completions.get(i));
        }
      }
    }
    return new Scores(per, combine(per, weights));
  }

  /** Σ_k w_k · r_k in float32, k in order (TRL: {@code (rewards_per_func * weights).nansum(dim=1)}). */
  public static float[] combine(float[][] perFunction, float[] weights) {
    int n = perFunction.length == 0 ? 0 : perFunction[0].length;
    float[] total = new float[n];
    for (int i = 0; i < n; i++) {
      float s = 0f;
      for (int k = 0; k < perFunction.length; k++) {
        s += perFunction[k][i] * weights[k];
      }
      total[i] = s;
    }
    return total;
  }

}

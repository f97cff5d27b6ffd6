package org.genderalign.trainer.grpo;

import java.util.List;
import java.util.Locale;

/**
 * Group-relative advantages as TRL's GRPOTrainer computes them ({@code multi_objective_aggregation
 * = "sum_then_normalize"}): the rewards of a step's completions, laid out as consecutive groups of
 * G completions of one prompt, become {@code (r − mean_group) / (std + 1e-4)}, where std is the
 * group's ({@code group}, TRL's default), the whole batch's ({@code batch}), or no scaling at all
 * ({@code none}). Standard deviations are Bessel-corrected, as TRL's {@code nanstd}; a group of one
 * has std 0 here (TRL's own guard for G = 1).
 */
public final class Advantages {

  /** TRL's {@code scale_rewards} values. */
  public static final List<String> SCALES = List.of("group", "batch", "none");
  public static final String DEFAULT_SCALE = "group";
  /** TRL's constant added to the std. */
  public static final double STD_EPS = 1e-4;

  /**
   * @param advantages one per completion
   * @param std the std each completion was scaled by (its group's, or the batch's)
   * @param zeroStdFraction TRL's {@code frac_reward_zero_std}: completions whose std is 0
   */
  public record Result(float[] advantages, double[] std, double zeroStdFraction) {}

  private Advantages() {}

  /** Validates and normalises a {@code scale_rewards} value ({@code true}/{@code false} as TRL accepts them). */
  public static String scale(String s) {
    String v = s == null ? DEFAULT_SCALE : s.toLowerCase(Locale.ROOT);
    v = v.equals("true") ? "group" : v.equals("false") ? "none" : v;
    if (!SCALES.contains(v)) {
      throw new IllegalArgumentException("unknown scale rewards '" + s + "'; expected group, batch or none");
    }
    return v;
  }

  /**
   * @param rewards the weighted-sum rewards, {@code groups × g} of them, group by group
   * @param g completions per prompt
   * @param scale {@code group}, {@code batch} or {@code none}
   */
  public static Result compute(float[] rewards, int g, String scale) {
    String sc = scale(scale);
    if (g < 1 || rewards.length % g != 0) {
      throw new IllegalArgumentException(rewards.length + " rewards are not groups of " + g);
    }
    int n = rewards.length;
    float[] adv = new float[n];
    double[] std = new double[n];
    double batchStd = n > 1 ? std(rewards, 0, n) : 0;
    int zero = 0;
    for (int start = 0; start < n; start += g) {
      double mean = 0;
      for (int i = start; i < start + g; i++) {
        mean += rewards[i];
      }
      mean /= g;
      double s = sc.equals("batch") ? batchStd : g > 1 ? std(rewards, start, start + g) : 0;
      for (int i = start; i < start + g; i++) {
        double a = rewards[i] - mean;
        adv[i] = (float) (sc.equals("none") ? a : a / (s + STD_EPS));
        std[i] = s;
        if (Math.abs(s) <= 1e-8) { // torch.isclose(std, 0): atol 1e-8
          zero++;
        }
      }
    }
    return new Result(adv, std, n == 0 ? 0 : (double) zero / n);
  }

  /** Bessel-corrected standard deviation of {@code v[from, to)}. */
  public static double std(float[] v, int from, int to) {
    int n = to - from;
    if (n < 2) {
      return Double.NaN;
    }
    double mean = 0;
    for (int i = from; i < to; i++) {
      mean += v[i];
    }
    mean /= n;
    double ss = 0;
    for (int i = from; i < to; i++) {
      ss += (v[i] - mean) * (v[i] - mean);
    }
    return Math.sqrt(ss / (n - 1));
  }

  /** Mean of {@code v}. */
  public static double mean(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x;
    }
    return v.length == 0 ? Double.NaN : s / v.length;
  }
}

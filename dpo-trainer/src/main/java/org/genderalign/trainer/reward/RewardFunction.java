package org.genderalign.trainer.reward;

import java.util.List;

/**
 * Something that rates completions of prompts with one number each, higher = better: a trained
 * reward model ({@link RewardScorer}), and — in modules above the trainer — a classifier's
 * probability, a length penalty. This is the shape of TRL's GRPO {@code reward_funcs}
 * ({@code prompts, completions → list of floats}), batched: callers pass every completion of a
 * step at once and the implementation batches as it likes.
 */
public interface RewardFunction {

  /** A short name for logs and metrics (TRL logs {@code rewards/<name>/mean}). */
  String name();

  /**
   * One reward per (prompt, completion) pair, in input order.
   *
   * @param prompts the prompts as plain text (one per completion; repeat a prompt for each of its
   *     completions)
   * @param completions the completions as plain text, same size as {@code prompts}
   * @return {@code completions.size()} finite rewards
   * @throws IllegalArgumentException if the lists differ in size
   */
  float[] rewards(List<String> prompts, List<String> completions);

  /**
   * The same, also given each completion's token ids as the policy generated them (the stopping
   * EOS included when it ended so); a function that counts tokens (a length penalty) overrides
   * this. The default reads the text alone.
   */
  default float[] rewards(List<String> prompts, List<String> completions, List<int[]> completionIds) {
    return rewards(prompts, completions);
  }
}

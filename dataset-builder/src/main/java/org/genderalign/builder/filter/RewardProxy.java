package org.genderalign.builder.filter;

import org.genderalign.taxonomy.Classification;

/**
 * A cheap stand-in for a reward model: scores how good an answer is for a prompt, in [0, 1].
 * Registered by name ({@code heuristic}); {@code none} turns the reward-guided filter off.
 */
public interface RewardProxy {

  /** The name used in configs. */
  String name();

  /**
   * The reward of one answer.
   *
   * @param prompt the question
   * @param answer the answer
   * @param classification the taxonomy's classification of the answer (never null)
   */
  double score(String prompt, String answer, Classification classification);
}

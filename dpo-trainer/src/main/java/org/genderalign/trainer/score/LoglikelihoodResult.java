package org.genderalign.trainer.score;

/**
 * The answer to one log-likelihood request.
 *
 * @param logLikelihood natural-log probability of the continuation, summed over its tokens in
 *     float64 from float32 log-softmax values (0 for an empty continuation)
 * @param tokens the number of continuation tokens scored
 * @param greedy whether every continuation token is the argmax of its position's distribution
 *     (lm-evaluation-harness's {@code is_greedy})
 */
public record LoglikelihoodResult(double logLikelihood, int tokens, boolean greedy) {

  /** Mean log-probability per continuation token (NaN when nothing was scored). */
  public double perToken() {
    return tokens == 0 ? Double.NaN : logLikelihood / tokens;
  }
}

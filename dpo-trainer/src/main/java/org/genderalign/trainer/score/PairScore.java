package org.genderalign.trainer.score;

/**
 * The log-likelihoods of one preference pair's completions given its prompt.
 *
 * @param id the pair's id
 * @param chosenLogp sum of the chosen completion's token log-probs (EOS included), float64 sum
 * @param rejectedLogp the same for the rejected completion
 * @param chosenTokens tokens scored in the chosen completion (EOS included)
 * @param rejectedTokens tokens scored in the rejected completion
 */
public record PairScore(String id, double chosenLogp, double rejectedLogp, int chosenTokens,
    int rejectedTokens) {}

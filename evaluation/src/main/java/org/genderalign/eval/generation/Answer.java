package org.genderalign.eval.generation;

/**
 * A model's answer to one prompt, as generated (or read back from the cache).
 *
 * @param prompt the prompt
 * @param text the answer (cut before a stop string; may be empty)
 * @param finishReason {@code eos}, {@code stop}, {@code length} or {@code context}
 * @param promptTokens tokens of the templated prompt as fed to the model (BOS included)
 * @param newTokens tokens generated
 * @param promptTruncated whether the prompt was cut (its start) to leave room for the answer
 * @param seconds this answer's share of its batch's wall time (for tokens/s)
 */
public record Answer(Prompt prompt, String text, String finishReason, int promptTokens,
    int newTokens, boolean promptTruncated, double seconds) {}

package org.genderalign.trainer.generate;

/**
 * One prompt's generation.
 *
 * @param prompt the prompt text
 * @param promptTokens BOS + the prompt's tokens as fed to the model
 * @param tokens the generated tokens (the stopping EOS/BOS excluded; the tokens that completed
 *     a stop string included)
 * @param text the generated text: decoded {@code tokens}, cut just before a stop string
 * @param finishReason {@code eos} (EOS or BOS produced), {@code stop} (a stop string appeared),
 *     {@code length} (maxTokens reached) or {@code context} (the model's maxSeqLen reached)
 */
public record Generation(String prompt, int[] promptTokens, int[] tokens, String text,
    String finishReason) {}

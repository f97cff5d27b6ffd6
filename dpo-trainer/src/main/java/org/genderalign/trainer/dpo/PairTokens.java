package org.genderalign.trainer.dpo;

import java.util.Objects;

/**
 * One preference pair as token ids: the prompt (with BOS if the tokenizer has one) and each
 * completion (with EOS), tokenised separately and not yet truncated.
 *
 * @param id the pair's id (for error messages and the reference cache)
 * @param prompt prompt ids
 * @param chosen chosen completion ids
 * @param rejected rejected completion ids
 */
public record PairTokens(String id, int[] prompt, int[] chosen, int[] rejected) {

  public PairTokens {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(chosen, "chosen");
    Objects.requireNonNull(rejected, "rejected");
  }
}

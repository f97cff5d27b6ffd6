package org.genderalign.trainer.sft;

/**
 * One SFT example as token ids: the prompt (BOS first if the tokenizer has one) and the target
 * completion (EOS last), truncated.
 *
 * @param id example id
 * @param prompt prompt ids (not scored)
 * @param completion completion ids (scored)
 */
public record SftTokens(String id, int[] prompt, int[] completion) {

  /** Completion tokens that get a loss (the first row position has no preceding logit). */
  public int scoredTokens() {
    return prompt.length > 0 ? completion.length : Math.max(0, completion.length - 1);
  }
}

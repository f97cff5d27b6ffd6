package org.genderalign.trainer.reward;

/**
 * One tokenised preference pair for reward modelling: the two full sequences (BOS + prompt +
 * completion + EOS, see {@link RewardEncoder}) and the pair's margin.
 *
 * @param id the pair's id
 * @param chosen the chosen sequence
 * @param rejected the rejected sequence
 * @param margin the pair's {@code margin} (0 when it has none): the loss asks r_c − r_r to exceed it
 */
public record RewardExample(String id, int[] chosen, int[] rejected, float margin) {

  /** Tokens of both sequences. */
  public long tokens() {
    return (long) chosen.length + rejected.length;
  }
}

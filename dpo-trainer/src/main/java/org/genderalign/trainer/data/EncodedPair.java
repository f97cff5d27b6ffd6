package org.genderalign.trainer.data;

/**
 * One tokenised preference pair (see dpo-reference.md "Tokenising a pair").
 *
 * @param id the pair's id
 * @param prompt BOS (if the tokenizer has one) + prompt tokens
 * @param chosen chosen completion tokens + EOS (if any), truncated so that
 *     {@code prompt.length + chosen.length <= maxLength}
 * @param rejected rejected completion tokens + EOS, truncated likewise
 * @param truncated whether either completion lost tokens (its EOS included)
 */
public record EncodedPair(String id, int[] prompt, int[] chosen, int[] rejected,
    boolean truncated) {

  /** The full chosen sequence: prompt then chosen completion. */
  public int[] chosenSequence() {
    return concat(prompt, chosen);
  }

  /** The full rejected sequence: prompt then rejected completion. */
  public int[] rejectedSequence() {
    return concat(prompt, rejected);
  }

  /**
   * A key that tells pairs apart even when two files reuse ids (a training file and a held-out
   * file both numbered from 1): the id plus a 64-bit hash of the three token lists.
   */
  public String contentKey() {
    long h = 1125899906842597L;
    for (int[] part : new int[][] {prompt, chosen, rejected}) {
      h = 31 * h + part.length;
      for (int t : part) {
        h = 31 * h + t;
      }
    }
    return id + "#" + Long.toHexString(h);
  }

  static int[] concat(int[] a, int[] b) {
    int[] out = new int[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

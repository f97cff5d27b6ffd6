package org.genderalign.trainer.kto;

import java.util.List;
import org.genderalign.core.io.Hashing;

/**
 * One tokenised unpaired example.
 *
 * @param id the example's id
 * @param prompt BOS (if the tokenizer has one) + prompt tokens
 * @param completion completion tokens + EOS (if any), truncated so that
 *     {@code prompt.length + completion.length <= maxLength}
 * @param label true for a desirable completion
 * @param truncated whether the completion lost tokens
 */
public record KtoExample(String id, int[] prompt, int[] completion, boolean label, boolean truncated) {

  /** sha256 of the examples' ids, tokens and labels: the training data's identity for resume. */
  public static String hash(List<KtoExample> examples) {
    var md = Hashing.newDigest();
    for (KtoExample e : examples) {
      md.update(e.id().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      md.update((byte) (e.label() ? 1 : 0));
      for (int[] part : new int[][] {e.prompt(), e.completion()}) {
        md.update((byte) 0);
        for (int t : part) {
          md.update(new byte[] {(byte) (t >>> 24), (byte) (t >>> 16), (byte) (t >>> 8), (byte) t});
        }
      }
      md.update((byte) '\n');
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }
}

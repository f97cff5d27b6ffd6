package org.genderalign.trainer.grpo;

import java.util.List;
import org.genderalign.core.io.Hashing;

/**
 * One GRPO prompt.
 *
 * @param id the prompt's id
 * @param prompt the prompt as the data gives it (what reward functions see)
 * @param promptIds BOS (if any) + the templated prompt's tokens, kept to their last
 *     {@code maxPromptLength} (TRL truncates prompts on the left)
 * @param truncated whether the prompt lost tokens
 */
public record GrpoExample(String id, String prompt, int[] promptIds, boolean truncated) {

  /** sha256 of the prompts' ids and tokens: the training data's identity for resume. */
  public static String hash(List<GrpoExample> examples) {
    var md = Hashing.newDigest();
    for (GrpoExample e : examples) {
      md.update(e.id().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      md.update((byte) 0);
      for (int t : e.promptIds()) {
        md.update(new byte[] {(byte) (t >>> 24), (byte) (t >>> 16), (byte) (t >>> 8), (byte) t});
      }
      md.update((byte) '\n');
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }
}

package org.genderalign.trainer.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * Token rows right-padded with the pad id, and for each row the position its reward is read at:
 * the last token that is not the pad id — exactly Hugging Face's sequence classification
 * ({@code argmax(arange(T) · (input_ids != pad_token_id))}), so a row with no other token reads
 * position 0, and with pad = EOS (TRL's fallback when a tokenizer has no pad token) a row ending
 * in EOS is read at the token before it. Without a pad id ({@code padId < 0}) every row is read at
 * its own last position.
 *
 * @param inputIds (N, T) ids, row-major
 * @param rows N
 * @param length T
 * @param lastIndex per row, the position whose hidden state the head reads
 */
public record RewardBatch(int[] inputIds, int rows, int length, int[] lastIndex) {

  /** Lays out {@code sequences} (each non-empty) right-padded with {@code padId} (0 when negative). */
  public static RewardBatch of(List<int[]> sequences, int padId) {
    if (sequences.isEmpty()) {
      throw new IllegalArgumentException("no sequences");
    }
    int n = sequences.size();
    int t = 0;
    for (int[] s : sequences) {
      if (s.length == 0) {
        throw new IllegalArgumentException("empty sequence");
      }
      t = Math.max(t, s.length);
    }
    int[] ids = new int[n * t];
    Arrays.fill(ids, Math.max(0, padId));
    int[] last = new int[n];
    for (int i = 0; i < n; i++) {
      int[] s = sequences.get(i);
      System.arraycopy(s, 0, ids, i * t, s.length);
      last[i] = padId < 0 ? s.length - 1 : lastNonPad(s, padId);
    }
    return new RewardBatch(ids, n, t, last);
  }

  /** The position of the last id that is not {@code padId}, or 0 when there is none (as HF). */
  public static int lastNonPad(int[] ids, int padId) {
    for (int j = ids.length - 1; j > 0; j--) {
      if (ids[j] != padId) {
        return j;
      }
    }
    return 0;
  }

  /** The ids as an int32 (N, T) array. */
  public NDArray inputIdsArray(NDManager m) {
    return m.create(inputIds, new Shape(rows, length));
  }

  /** Real (non-padding) tokens: the sum of the rows' lengths before padding. */
  public static long tokens(List<int[]> sequences) {
    long s = 0;
    for (int[] q : sequences) {
      s += q.length;
    }
    return s;
  }
}

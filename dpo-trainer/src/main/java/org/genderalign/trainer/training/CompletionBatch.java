package org.genderalign.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Rows of prompt + completion token ids, right-padded to the longest row, with a completion
 * mask (1 on completion tokens, 0 on prompt and padding). Right padding keeps every real token's
 * position and causal context unchanged, so no attention mask is needed for a causal LM.
 *
 * @param inputIds (N, T) token ids, row-major
 * @param completionMask (N, T) 1 on completion tokens
 * @param rows N
 * @param length T
 * @param completionTokens per row, how many completion tokens are scored (mask[:, 1:] sums)
 * @param tokenWeights (N, T) per-token weights of the summed log-probs, or null for the mask itself
 *     (LD-DPO sets them; see {@link #withTokenWeights})
 */
public record CompletionBatch(int[] inputIds, int[] completionMask, int rows, int length,
    int[] completionTokens, float[] tokenWeights) {

  /** A batch whose summed log-probs weight every completion token 1. */
  public CompletionBatch(int[] inputIds, int[] completionMask, int rows, int length, int[] completionTokens) {
    this(inputIds, completionMask, rows, length, completionTokens, null);
  }

  /**
   * Lays out the rows: {@code prefixes.get(i) ++ completions.get(i)}, padded with {@code padId}.
   * Inputs must already be truncated.
   */
  public static CompletionBatch of(List<int[]> prefixes, List<int[]> completions, int padId) {
    if (prefixes.size() != completions.size() || prefixes.isEmpty()) {
      throw new IllegalArgumentException("need the same, non-zero number of prefixes and completions");
    }
    int n = prefixes.size();
    int t = 0;
    for (int i = 0; i < n; i++) {
      t = Math.max(t, prefixes.get(i).length + completions.get(i).length);
    }
    int[] ids = new int[n * t];
    int[] mask = new int[n * t];
    int[] counts = new int[n];
    java.util.Arrays.fill(ids, padId);
    for (int i = 0; i < n; i++) {
      int[] p = prefixes.get(i);
      int[] c = completions.get(i);
      System.arraycopy(p, 0, ids, i * t, p.length);
      System.arraycopy(c, 0, ids, i * t + p.length, c.length);
      for (int j = 0; j < c.length; j++) {
        int pos = p.length + j;
        mask[i * t + pos] = 1;
        if (pos > 0) {
          counts[i]++; // position 0 has no preceding logit, so it cannot be scored
        }
      }
    }
    return new CompletionBatch(ids, mask, n, t, counts);
  }

  /** Total tokens in the batch, padding excluded. */
  public long realTokens(List<int[]> prefixes, List<int[]> completions) {
    long s = 0;
    for (int i = 0; i < prefixes.size(); i++) {
      s += prefixes.get(i).length + completions.get(i).length;
    }
    return s;
  }

  /** Input ids as an int32 (N, T) array. */
  public NDArray inputIdsArray(NDManager m) {
    return m.create(inputIds, new Shape(rows, length));
  }

  /** Completion mask as a float (N, T) array of the given type. */
  public NDArray maskArray(NDManager m, DataType type) {
    return m.create(completionMask, new Shape(rows, length)).toType(type, false);
  }

  /** The same rows with per-token weights for the summed log-probs (0 wherever the mask is 0). */
  public CompletionBatch withTokenWeights(float[] weights) {
    if (weights.length != rows * length) {
      throw new IllegalArgumentException("token weights must be rows x length = " + rows * length);
    }
    return new CompletionBatch(inputIds, completionMask, rows, length, completionTokens, weights);
  }

  /**
   * The weights every scorer sums log-probs with, as a float32 (N, T) array: the token weights
   * if set, else the completion mask.
   */
  public NDArray scoreWeightsArray(NDManager m) {
    return tokenWeights == null ? maskArray(m, DataType.FLOAT32) : m.create(tokenWeights, new Shape(rows, length));
  }

  /** Row i's ids. */
  public int[] row(int i) {
    return java.util.Arrays.copyOfRange(inputIds, i * length, (i + 1) * length);
  }

  /** Row i's mask. */
  public int[] maskRow(int i) {
    return java.util.Arrays.copyOfRange(completionMask, i * length, (i + 1) * length);
  }
}

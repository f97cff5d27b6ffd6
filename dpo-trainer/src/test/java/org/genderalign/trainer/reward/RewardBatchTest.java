package org.genderalign.trainer.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Right padding and the pooled position, against a literal transcription of Hugging Face's formula. */
class RewardBatchTest {

  /** transformers: {@code (arange(T) * (input_ids != pad)).argmax(-1)}, first maximum on ties. */
  static int hf(int[] paddedRow, int pad) {
    int best = 0;
    int bestValue = Integer.MIN_VALUE;
    for (int j = 0; j < paddedRow.length; j++) {
      int v = j * (paddedRow[j] != pad ? 1 : 0);
      if (v > bestValue) {
        bestValue = v;
        best = j;
      }
    }
    return best;
  }

  @Test
  void edgeCases() {
    RewardBatch b = RewardBatch.of(List.of(new int[] {1, 5, 6, 2}, new int[] {1, 2}, new int[] {2, 2, 2}, new int[] {7}),
        2);
    assertThat(b.length()).isEqualTo(4);
    assertThat(b.inputIds()).containsExactly(1, 5, 6, 2, 1, 2, 2, 2, 2, 2, 2, 2, 7, 2, 2, 2);
    // pad = EOS: read before the EOS; only pads: position 0; a lone token: position 0
    assertThat(b.lastIndex()).containsExactly(2, 0, 0, 0);
    // a pad id inside a row does not stop the search: the last non-pad token counts
    assertThat(RewardBatch.of(List.of(new int[] {1, 0, 5, 0}), 0).lastIndex()).containsExactly(2);
    // no pad id: the row's own last token, padded with 0
    RewardBatch none = RewardBatch.of(List.of(new int[] {1, 5, 2}, new int[] {1}), -1);
    assertThat(none.lastIndex()).containsExactly(2, 0);
    assertThat(none.inputIds()).containsExactly(1, 5, 2, 1, 0, 0);
    assertThatThrownBy(() -> RewardBatch.of(List.of(new int[0]), 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RewardBatch.of(List.of(), 2)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void randomRowsPoolWhereHuggingFaceDoes() {
    Random rnd = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      int pad = rnd.nextInt(4);
      int n = 1 + rnd.nextInt(5);
      List<int[]> rows = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        int[] r = new int[1 + rnd.nextInt(8)];
        for (int j = 0; j < r.length; j++) {
          r[j] = rnd.nextInt(6); // small vocabulary: pads appear inside rows too
        }
        rows.add(r);
      }
      RewardBatch b = RewardBatch.of(rows, pad);
      for (int i = 0; i < n; i++) {
        int[] padded = java.util.Arrays.copyOfRange(b.inputIds(), i * b.length(), (i + 1) * b.length());
        assertThat(b.lastIndex()[i]).as("trial %d row %d", trial, i).isEqualTo(hf(padded, pad));
      }
    }
  }
}

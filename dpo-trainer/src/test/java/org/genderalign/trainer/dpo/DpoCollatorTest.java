package org.genderalign.trainer.dpo;

import org.genderalign.trainer.data.EncodedPair;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.genderalign.trainer.training.CompletionBatch;
import org.genderalign.trainer.training.SequenceLogProbs;
import org.junit.jupiter.api.Test;

class DpoCollatorTest {

  static final EncodedPair A = new EncodedPair("a", new int[] {1, 2, 3}, new int[] {4, 5}, new int[] {6}, false);
  static final EncodedPair B = new EncodedPair("b", new int[] {7, 8}, new int[] {9, 10}, new int[] {11, 12, 13}, false);

  @Test
  void trlGoldenLayout() {
    CompletionBatch b = new DpoCollator(0, 0).collate(List.of(A, B));
    assertThat(b.rows()).isEqualTo(4);
    assertThat(b.length()).isEqualTo(5);
    assertThat(b.row(0)).containsExactly(1, 2, 3, 4, 5);
    assertThat(b.row(1)).containsExactly(7, 8, 9, 10, 0);
    assertThat(b.row(2)).containsExactly(1, 2, 3, 6, 0);
    assertThat(b.row(3)).containsExactly(7, 8, 11, 12, 13);
    assertThat(b.maskRow(0)).containsExactly(0, 0, 0, 1, 1);
    assertThat(b.maskRow(1)).containsExactly(0, 0, 1, 1, 0);
    assertThat(b.maskRow(2)).containsExactly(0, 0, 0, 1, 0);
    assertThat(b.maskRow(3)).containsExactly(0, 0, 1, 1, 1);
    assertThat(b.completionTokens()).containsExactly(2, 2, 1, 3);
  }

  /**
   * LD-DPO on TRL's collator example: pair a has nc = 2, nr = 1 (shared 1), pair b nc = 2, nr = 3
   * (shared 2); tokens past the shared length weigh α, as TRL's shared/tail masks split them.
   */
  @Test
  void ldAlphaWeighsTheLongerAnswersTailTokens() {
    CompletionBatch plain = new DpoCollator(0, 0).collate(List.of(A, B));
    assertThat(plain.tokenWeights()).isNull();
    CompletionBatch b = new DpoCollator(0, 0, 0.25).collate(List.of(A, B));
    float[] w = b.tokenWeights();
    assertThat(java.util.Arrays.copyOfRange(w, 0, 5)).containsExactly(0, 0, 0, 1, 0.25f); // chosen a
    assertThat(java.util.Arrays.copyOfRange(w, 5, 10)).containsExactly(0, 0, 1, 1, 0); // chosen b
    assertThat(java.util.Arrays.copyOfRange(w, 10, 15)).containsExactly(0, 0, 0, 1, 0); // rejected a
    assertThat(java.util.Arrays.copyOfRange(w, 15, 20)).containsExactly(0, 0, 1, 1, 0.25f); // rejected b
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray logits = m.randomNormal(new ai.djl.ndarray.types.Shape(4, 5, 16));
      NDArray tokens = SequenceLogProbs.tokens(logits, b.inputIdsArray(m));
      float[] tok = tokens.toFloatArray(); // (4, 4)
      float[] ld = SequenceLogProbs.weightedSum(tokens, b.scoreWeightsArray(m)).toFloatArray();
      // shared + α·tail, summed by hand from the per-token log-probs
      assertThat(ld[0]).isCloseTo(tok[2] + 0.25f * tok[3], within(1e-5f));
      assertThat(ld[3]).isCloseTo(tok[13] + tok[14] + 0.25f * tok[15], within(1e-5f));
      assertThat(SequenceLogProbs.weightedSum(tokens, b.maskArray(m, DataType.FLOAT32)).toFloatArray()[3])
          .isCloseTo(tok[13] + tok[14] + tok[15], within(1e-5f));
    }
    assertThatThrownBy(() -> new DpoCollator(0, 0, 1.5)).hasMessageContaining("[0, 1]");
  }

  @Test
  void truncationKeepsTheStartAndDropsPairsWhosePromptFillsMaxLength() {
    EncodedPair longPrompt = new EncodedPair("long", new int[] {1, 2, 3, 4}, new int[] {5}, new int[] {6}, false);
    DpoCollator c = new DpoCollator(0, 4);
    DpoCollator.Truncated t = c.truncate(List.of(A, B, longPrompt));
    assertThat(t.droppedIds()).containsExactly("long");
    assertThat(t.kept()).hasSize(2);
    assertThat(t.kept().get(0).chosen()).containsExactly(4);
    assertThat(t.kept().get(1).rejected()).containsExactly(11, 12);
    CompletionBatch b = c.collate(t.kept());
    assertThat(b.length()).isEqualTo(4);
    assertThat(b.row(3)).containsExactly(7, 8, 11, 12);
    assertThatThrownBy(() -> c.collate(List.of(B))).hasMessageContaining("call truncate()");
  }

  @Test
  void logProbsAreTakenFromShiftedLogitsUnderTheMask() {
    CompletionBatch b = new DpoCollator(0, 0).collate(List.of(A, B));
    int v = 16;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray logits = m.randomNormal(new ai.djl.ndarray.types.Shape(4, 5, v)).toType(DataType.FLOAT64, false);
      double[] lg = logits.toDoubleArray();
      NDArray got = SequenceLogProbs.sum(logits, b.inputIdsArray(m), b.maskArray(m, DataType.FLOAT32));
      double[] g = got.toDoubleArray();
      for (int r = 0; r < 4; r++) {
        double want = 0;
        int[] ids = b.row(r);
        int[] mask = b.maskRow(r);
        for (int t = 1; t < 5; t++) {
          if (mask[t] == 0) {
            continue;
          }
          int off = (r * 5 + (t - 1)) * v;
          double max = Double.NEGATIVE_INFINITY;
          for (int k = 0; k < v; k++) {
            max = Math.max(max, lg[off + k]);
          }
          double z = 0;
          for (int k = 0; k < v; k++) {
            z += Math.exp(lg[off + k] - max);
          }
          want += lg[off + ids[t]] - max - Math.log(z);
        }
        assertThat(g[r]).isCloseTo(want, within(1e-9));
      }
    }
  }
}

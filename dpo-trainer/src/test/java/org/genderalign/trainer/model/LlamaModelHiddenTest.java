package org.genderalign.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** {@link LlamaModel#hidden}: the states the LM head reads, i.e. logits = hidden · Wᵀ. */
class LlamaModelHiddenTest {

  @Test
  void hiddenStatesTimesTheHeadAreTheLogits() {
    for (boolean tied : new boolean[] {true, false}) {
      LlamaConfig c = LlamaModelTest.tiny(RopeLayout.HALF, tied);
      try (Model model = LlamaModelTest.randomModel(c, 3); NDManager m = model.getNDManager().newSubManager()) {
        LlamaModel block = (LlamaModel) model.getBlock();
        NDArray ids = m.create(LlamaModelTest.randomTokens(2 * 9, c.vocabSize(), 5), new Shape(2, 9));
        ParameterStore ps = new ParameterStore(m, false);
        NDArray h = block.normedHidden(ps, new NDList(ids), false); // (2, 9, dim)
        assertThat(h.getShape()).isEqualTo(new Shape(2, 9, c.dim()));
        NDArray w = tied ? block.tokEmbeddings().getArray() : block.output().weight().getArray(); // (V, dim)
        float[] fromHidden = h.matMul(w.transpose()).toFloatArray();
        float[] logits = block.logits(ids).toFloatArray();
        assertThat(fromHidden).hasSameSizeAs(logits);
        for (int i = 0; i < logits.length; i++) {
          assertThat(fromHidden[i]).as("tied=%s logit %d", tied, i).isCloseTo(logits[i], within(1e-4f));
        }
      }
    }
  }
}

package org.genderalign.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Random;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.lora.Lora;
import org.genderalign.trainer.training.TinyModels;
import org.junit.jupiter.api.Test;

/**
 * The preallocated, in-place generation cache gives the logits of a plain full-sequence forward
 * pass (within 1e-4) at every step: with left padding, per-row positions, grouped-query
 * attention, both RoPE layouts, LoRA adapters on and off, on stories260K and on random models
 * whose norm weights are not 1, and after finished rows were dropped from the batch.
 */
class GenerationCacheTest {

  @Test
  void cachedStepsMatchFullForwardWithPaddingAndDroppedRows() throws Exception {
    try (LoadedModel tiny = TinyModels.tiny(3);
        LoadedModel gqa = ModelLoader.random(TinyModels.gqaConfig(),
            TinyModels.storiesTokenizer(), Device.cpu(), DataType.FLOAT32, 5)) {
      for (LoadedModel m : new LoadedModel[] {tiny, gqa}) {
        assertCachedMatchesFull(m.block(), m.manager(), new Random(11));
        // again with every weight drawn away from neutral (norm weights not 1)
        TinyModels.randomizeWeights(m.block(), 6);
        assertCachedMatchesFull(m.block(), m.manager(), new Random(11));
      }
    }
  }

  @Test
  void cachedStepsMatchFullForwardOnStories260K() throws Exception {
    try (LoadedModel stories = ModelLoader.load(ModelLoader.STORIES_260K,
        DataRoot.fromEnvironment(), Device.cpu())) {
      assertCachedMatchesFull(stories.block(), stories.manager(), new Random(12));
    }
  }

  /**
   * LoRA adapters on every projection (the untied output head included) are part of the
   * cached path's weights while enabled, and out of them once disabled.
   */
  @Test
  void cachedStepsMatchFullForwardWithLoraOnAndOff() throws Exception {
    try (LoadedModel gqa = ModelLoader.random(TinyModels.gqaConfig(),
        TinyModels.storiesTokenizer(), Device.cpu(), DataType.FLOAT32, 7)) {
      LlamaModel model = gqa.block();
      TinyModels.randomizeWeights(model, 8);
      Lora lora = TinyModels.randomLora(model, 9);
      try (NDManager m = gqa.manager().newSubManager()) {
        NDArray ids = m.create(new long[] {1, 30, 200, 7, 99}, new Shape(1, 5));
        NDArray on = model.logits(ids);
        lora.setEnabled(false);
        NDArray off = model.logits(ids);
        // the adapters matter, so the comparisons below cover them
        assertThat(on.sub(off).abs().max().getFloat()).isGreaterThan(0.1f);
      }
      lora.setEnabled(true);
      assertCachedMatchesFull(model, gqa.manager(), new Random(13));
      lora.setEnabled(false);
      assertCachedMatchesFull(model, gqa.manager(), new Random(13));
    }
  }

  /**
   * The same through a long run whose attention window grows past 16 columns, with the prompt's
   * queries taken two at a time (the scores' memory bound, four blocks) and with autograd switched on in the
   * calling thread (generation must neither need nor record gradients).
   */
  @Test
  void cachedStepsMatchFullForwardAcrossWindowsWithBlockedPrefillUnderGradMode()
      throws Exception {
    try (LoadedModel gqa = ModelLoader.random(TinyModels.gqaConfig(),
        TinyModels.storiesTokenizer(), Device.cpu(), DataType.FLOAT32, 21)) {
      TinyModels.randomizeWeights(gqa.block(), 22);
      long saved = Attention.scoreBlockBytes;
      boolean grad = JniUtils.isGradMode();
      // a query's f32 scores over all heads of the 3 rows, the prompt's window being 16 columns
      int rowBytes = 3 * gqa.block().config().nHeads() * 16 * 4;
      try {
        Attention.scoreBlockBytes = 2L * rowBytes;
        JniUtils.setGradMode(true);
        assertCachedMatchesFull(gqa.block(), gqa.manager(), new Random(23), 20);
      } finally {
        Attention.scoreBlockBytes = saved;
        JniUtils.setGradMode(grad);
      }
    }
  }

  /**
   * Models too large to copy use their own weights (separate q/k/v and gate/up GEMMs, norm
   * weights applied to the activations): the same logits, with GQA, norm weights not 1, and
   * LoRA on and off.
   */
  @Test
  void cachedStepsMatchFullForwardWithTheModelsOwnWeights() throws Exception {
    long saved = DecodeStep.fuseLimitBytes;
    try (LoadedModel gqa = ModelLoader.random(TinyModels.gqaConfig(),
        TinyModels.storiesTokenizer(), Device.cpu(), DataType.FLOAT32, 31)) {
      DecodeStep.fuseLimitBytes = 0;
      LlamaModel model = gqa.block();
      TinyModels.randomizeWeights(model, 32);
      assertCachedMatchesFull(model, gqa.manager(), new Random(33), 20);
      Lora lora = TinyModels.randomLora(model, 34);
      assertCachedMatchesFull(model, gqa.manager(), new Random(35));
      lora.setEnabled(false);
      assertCachedMatchesFull(model, gqa.manager(), new Random(35));
    } finally {
      DecodeStep.fuseLimitBytes = saved;
    }
  }

  @Test
  void smallModelsFuseAndLargeOnesDoNot() throws Exception {
    long saved = DecodeStep.fuseLimitBytes;
    try (LoadedModel gqa = ModelLoader.random(TinyModels.gqaConfig(),
        TinyModels.storiesTokenizer(), Device.cpu(), DataType.FLOAT32, 36);
        NDManager m = gqa.manager().newSubManager()) {
      try (DecodeStep step = new DecodeStep(gqa.block(), m, DataType.FLOAT32, 16)) {
        assertThat(step.fused()).isTrue();
      }
      DecodeStep.fuseLimitBytes = 1000;
      try (DecodeStep step = new DecodeStep(gqa.block(), m, DataType.FLOAT32, 16)) {
        assertThat(step.fused()).isFalse();
      }
    } finally {
      DecodeStep.fuseLimitBytes = saved;
    }
  }

  private static void assertCachedMatchesFull(LlamaModel model, NDManager base, Random rnd) {
    assertCachedMatchesFull(model, base, rnd, 6);
  }

  private static void assertCachedMatchesFull(LlamaModel model, NDManager base, Random rnd,
      int steps) {
    int[][] seqs = new int[3][];
    int[] promptLens = {5, 2, 7};
    for (int r = 0; r < seqs.length; r++) {
      seqs[r] = new int[promptLens[r] + steps];
      for (int i = 0; i < seqs[r].length; i++) {
        seqs[r][i] = 1 + rnd.nextInt(500);
      }
    }
    int width = 7;
    try (NDManager m = base.newSubManager();
        GenerationCache cache = new GenerationCache(m, model.config(), 3, width + steps,
            DataType.FLOAT32)) {
      long[] ids = new long[3 * width];
      long[] keep = new long[3 * width];
      long[] pos = new long[3 * width];
      for (int r = 0; r < 3; r++) {
        int off = width - promptLens[r];
        for (int j = off; j < width; j++) {
          ids[r * width + j] = seqs[r][j - off];
          keep[r * width + j] = 1;
          pos[r * width + j] = j - off;
        }
      }
      cache.setKeyPadding(keep, width);
      NDArray logits = model.forwardCached(m.create(ids, new Shape(3, width)),
          m.create(pos, new Shape(3, width)), cache);
      int[] rows = {0, 1, 2};
      assertRowsMatch(model, m, logits, rows, seqs, promptLens, 0);
      for (int s = 0; s < steps; s++) {
        if (s == 3) {
          // row 1 "finished": the cache keeps rows 0 and 2 only
          cache.keepRows(new long[] {0, 2});
          rows = new int[] {0, 2};
        }
        long[] next = new long[rows.length];
        long[] at = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
          next[i] = seqs[rows[i]][promptLens[rows[i]] + s];
          at[i] = promptLens[rows[i]] + s;
        }
        logits = model.forwardCached(m.create(next, new Shape(rows.length, 1)),
            m.create(at, new Shape(rows.length, 1)), cache);
        assertRowsMatch(model, m, logits, rows, seqs, promptLens, s + 1);
      }
      assertThat(cache.length()).isEqualTo(width + steps);
      // the cache is full now
      assertThatThrownBy(() -> model.forwardCached(m.create(new long[] {1, 1},
          new Shape(2, 1)), m.create(new long[] {20, 20}, new Shape(2, 1)), cache))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("full");
    }
  }

  /** Each row's logits equal the full forward's at its last fed position. */
  private static void assertRowsMatch(LlamaModel model, NDManager m, NDArray logits, int[] rows,
      int[][] seqs, int[] promptLens, int fedAfterPrompt) {
    float[] got = logits.toFloatArray();
    int v = model.config().vocabSize();
    assertThat(logits.getShape()).isEqualTo(new Shape(rows.length, v));
    for (int i = 0; i < rows.length; i++) {
      int len = promptLens[rows[i]] + fedAfterPrompt;
      long[] seq = new long[len];
      for (int j = 0; j < len; j++) {
        seq[j] = seqs[rows[i]][j];
      }
      float[] full = model.logits(m.create(seq, new Shape(1, len))).toFloatArray();
      float max = 0;
      for (int k = 0; k < v; k++) {
        max = Math.max(max, Math.abs(full[(len - 1) * v + k] - got[i * v + k]));
      }
      assertThat(max).as("row %d after %d tokens", rows[i], fedAfterPrompt).isLessThan(1e-4f);
    }
  }
}

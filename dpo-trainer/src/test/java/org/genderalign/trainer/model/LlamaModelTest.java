package org.genderalign.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class LlamaModelTest {

  static LlamaConfig tiny(RopeLayout layout, boolean tied) {
    return new LlamaConfig(32, 72, 2, 4, 2, 61, 96, 10000.0, 1e-5, tied, layout);
  }

  /** A random model with weights large enough that every part of the network matters. */
  static Model randomModel(LlamaConfig c, long seed) {
    Model model = Model.newInstance("t");
    LlamaModel block = new LlamaModel(c);
    block.setInitializer(new NormalInitializer(0.3f), Parameter.Type.WEIGHT);
    Engine.getInstance().setRandomSeed((int) seed);
    block.initializeRandom(model.getNDManager(), DataType.FLOAT32);
    // non-trivial norm weights
    for (var e : block.namedParameters().entrySet()) {
      if (e.getKey().endsWith("norm.weight")) {
        NDArray w = e.getValue().getArray();
        w.set(new float[(int) w.size()]);
        float[] v = new float[(int) w.size()];
        Random r = new Random(seed);
        for (int i = 0; i < v.length; i++) {
          v[i] = 0.5f + r.nextFloat();
        }
        w.set(v);
      }
    }
    model.setBlock(block);
    return model;
  }

  static int[] randomTokens(int n, int vocab, long seed) {
    Random r = new Random(seed);
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = r.nextInt(vocab);
    }
    return t;
  }

  static float maxDiff(float[][] ref, float[] flat, int offsetRow) {
    float m = 0;
    int v = ref[0].length;
    for (int t = 0; t < ref.length; t++) {
      for (int i = 0; i < v; i++) {
        m = Math.max(m, Math.abs(ref[t][i] - flat[(offsetRow + t) * v + i]));
      }
    }
    return m;
  }

  @ParameterizedTest
  @EnumSource(RopeLayout.class)
  void fullSequenceLogitsMatchReference(RopeLayout layout) {
    for (boolean tied : new boolean[] {true, false}) {
      LlamaConfig c = tiny(layout, tied);
      try (Model model = randomModel(c, 7); NDManager m = model.getNDManager().newSubManager()) {
        LlamaModel block = (LlamaModel) model.getBlock();
        int[] tokens = randomTokens(40, c.vocabSize(), 3);
        float[] got = block.logits(m.create(tokens).reshape(1, tokens.length)).toFloatArray();
        float[][] ref = new ReferenceLlama(block).logits(tokens);
        assertThat(maxDiff(ref, got, 0)).as("layout %s tied %s", layout, tied).isLessThan(1e-4f);
        // the logits are not trivially small: the comparison means something
        assertThat(Math.abs(ref[5][3]) + Math.abs(ref[20][7])).isGreaterThan(0.1f);
      }
    }
  }

  @Test
  void queryBlockedAttentionMatchesUnblocked() {
    LlamaConfig c = tiny(RopeLayout.HALF, false);
    try (Model model = randomModel(c, 11); NDManager m = model.getNDManager().newSubManager()) {
      LlamaModel block = (LlamaModel) model.getBlock();
      int[] tokens = randomTokens(50, c.vocabSize(), 5);
      float[][] ref = new ReferenceLlama(block).logits(tokens);
      long saved = Attention.scoreBlockBytes;
      try {
        Attention.scoreBlockBytes = 4 * 4 * 50 * 7; // 7 query rows per block: 8 blocks
        float[] got = block.logits(m.create(tokens).reshape(1, tokens.length)).toFloatArray();
        assertThat(maxDiff(ref, got, 0)).isLessThan(1e-4f);
      } finally {
        Attention.scoreBlockBytes = saved;
      }
    }
  }

  @ParameterizedTest
  @EnumSource(RopeLayout.class)
  void kvCachePathMatchesFullSequence(RopeLayout layout) {
    LlamaConfig c = tiny(layout, true);
    try (Model model = randomModel(c, 13); NDManager m = model.getNDManager().newSubManager()) {
      LlamaModel block = (LlamaModel) model.getBlock();
      int[] tokens = randomTokens(20, c.vocabSize(), 9);
      float[] full = block.logits(m.create(tokens).reshape(1, 20)).toFloatArray();
      ParameterStore ps = new ParameterStore(m, false);
      int v = c.vocabSize();
      try (KvCache cache = block.newCache(m)) {
        // a prefill chunk of 8, a chunk of 3, then one token at a time
        int[][] chunks = {{0, 8}, {8, 11}};
        List<int[]> all = new ArrayList<>(List.of(chunks));
        for (int i = 11; i < 20; i++) {
          all.add(new int[] {i, i + 1});
        }
        for (int[] ch : all) {
          int[] part = java.util.Arrays.copyOfRange(tokens, ch[0], ch[1]);
          float[] got = block.forward(ps, new NDList(m.create(part).reshape(1, part.length)), false,
              cache, false).singletonOrThrow().toFloatArray();
          for (int t = 0; t < part.length; t++) {
            for (int i = 0; i < v; i++) {
              assertThat(Math.abs(got[t * v + i] - full[(ch[0] + t) * v + i]))
                  .as("pos %d", ch[0] + t).isLessThan(1e-4f);
            }
          }
        }
        assertThat(cache.length()).isEqualTo(20);
      }
    }
  }

  /**
   * Two sequences sharing a prefix packed into one row — prefix, then each suffix — with a
   * (B, T, S) visibility mask and their own positions: {@code head(hidden(...))} at each token
   * equals the logits of its own unpacked sequence; and head∘hidden is forward.
   */
  @Test
  void packedRowWithAPerQueryMaskMatchesItsSequencesAndHiddenThenHeadIsForward() {
    LlamaConfig c = tiny(RopeLayout.INTERLEAVED, false);
    try (Model model = randomModel(c, 23); NDManager m = model.getNDManager().newSubManager()) {
      LlamaModel block = (LlamaModel) model.getBlock();
      int[] prefix = randomTokens(4, c.vocabSize(), 5);
      int[] s1 = randomTokens(3, c.vocabSize(), 6);
      int[] s2 = randomTokens(2, c.vocabSize(), 7);
      int t = prefix.length + s1.length + s2.length; // 9
      long[] ids = new long[t];
      long[] pos = new long[t];
      int[] seg = new int[t]; // 0 prefix, 1 / 2 the suffixes
      for (int j = 0; j < t; j++) {
        int k = j < 4 ? j : j < 7 ? j - 4 : j - 7;
        seg[j] = j < 4 ? 0 : j < 7 ? 1 : 2;
        ids[j] = seg[j] == 0 ? prefix[k] : seg[j] == 1 ? s1[k] : s2[k];
        pos[j] = seg[j] == 0 ? k : 4 + k;
      }
      boolean[] visible = new boolean[t * t];
      for (int q = 0; q < t; q++) {
        for (int k = 0; k <= q; k++) {
          visible[q * t + k] = seg[k] == 0 || seg[k] == seg[q];
        }
      }
      ParameterStore ps = new ParameterStore(m, false);
      NDArray hidden = block.hidden(ps, new NDList(m.create(ids, new Shape(1, t)),
          m.create(visible, new Shape(1, t, t)), m.create(pos, new Shape(1, t))), false, null);
      float[] packed = block.head(ps, hidden, false).toFloatArray(); // (1, 9, V)
      int[] seq1 = new int[7];
      int[] seq2 = new int[6];
      System.arraycopy(prefix, 0, seq1, 0, 4);
      System.arraycopy(s1, 0, seq1, 4, 3);
      System.arraycopy(prefix, 0, seq2, 0, 4);
      System.arraycopy(s2, 0, seq2, 4, 2);
      ReferenceLlama ref = new ReferenceLlama(block);
      float[][] ref1 = ref.logits(seq1);
      float[][] ref2 = ref.logits(seq2);
      int v = c.vocabSize();
      assertThat(maxDiff(ref1, packed, 0)).isLessThan(1e-4f); // prefix + first suffix: rows 0..6
      for (int j = 0; j < 2; j++) {
        for (int i = 0; i < v; i++) {
          assertThat(Math.abs(packed[(7 + j) * v + i] - ref2[4 + j][i])).isLessThan(1e-4f);
        }
      }
      NDArray seqIds = m.create(seq1).reshape(1, 7);
      float[] viaSplit = block.head(ps, block.hidden(ps, new NDList(seqIds), false, null), false)
          .toFloatArray();
      assertThat(viaSplit).containsExactly(block.logits(seqIds).toFloatArray());
      assertThatThrownBy(() -> block.hidden(ps, new NDList(m.create(ids, new Shape(1, t)),
          m.create(new boolean[t * 2], new Shape(1, 2, t))), false, null))
          .hasMessageContaining("attentionMask must be");
    }
  }

  @Test
  void leftPaddedBatchWithMaskAndPositionsMatchesSingleSequences() {
    LlamaConfig c = tiny(RopeLayout.INTERLEAVED, false);
    try (Model model = randomModel(c, 17); NDManager m = model.getNDManager().newSubManager()) {
      LlamaModel block = (LlamaModel) model.getBlock();
      int[] a = randomTokens(5, c.vocabSize(), 1);
      int[] b = randomTokens(9, c.vocabSize(), 2);
      long[] ids = new long[18];
      long[] mask = new long[18];
      long[] pos = new long[18];
      for (int j = 0; j < 9; j++) {
        ids[j] = j < 4 ? 0 : a[j - 4];
        mask[j] = j < 4 ? 0 : 1;
        pos[j] = j < 4 ? 0 : j - 4;
        ids[9 + j] = b[j];
        mask[9 + j] = 1;
        pos[9 + j] = j;
      }
      float[] batch = block.forward(new ParameterStore(m, false), new NDList(
              m.create(ids, new Shape(2, 9)), m.create(mask, new Shape(2, 9)),
              m.create(pos, new Shape(2, 9))), false, null, false)
          .singletonOrThrow().toFloatArray();
      float[][] refA = new ReferenceLlama(block).logits(a);
      float[][] refB = new ReferenceLlama(block).logits(b);
      int v = c.vocabSize();
      for (int t = 0; t < 5; t++) {
        for (int i = 0; i < v; i++) {
          assertThat(Math.abs(batch[(4 + t) * v + i] - refA[t][i])).isLessThan(1e-4f);
        }
      }
      assertThat(maxDiff(refB, batch, 9)).isLessThan(1e-4f);
    }
  }

  @Test
  void gradientsAreFiniteAndBitIdenticalAcrossSameSeedRuns() {
    float[][] first = gradients();
    float[][] second = gradients();
    assertThat(first.length).isEqualTo(second.length);
    boolean nonZero = false;
    for (int i = 0; i < first.length; i++) {
      assertThat(first[i]).containsExactly(second[i]);
      for (float g : first[i]) {
        assertThat(Float.isFinite(g)).isTrue();
        nonZero |= g != 0f;
      }
    }
    assertThat(nonZero).isTrue();
  }

  private static float[][] gradients() {
    LlamaConfig c = tiny(RopeLayout.INTERLEAVED, false);
    try (Model model = randomModel(c, 23); NDManager m = model.getNDManager().newSubManager()) {
      LlamaModel block = (LlamaModel) model.getBlock();
      int[] tokens = randomTokens(24, c.vocabSize(), 4);
      NDArray ids = m.create(tokens).reshape(2, 12);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray logits = block.forward(new ParameterStore(m, false), new NDList(ids), true, null)
            .singletonOrThrow();
        NDArray lp = logits.get(":, :-1, :").logSoftmax(-1)
            .gather(ids.get(":, 1:").toType(DataType.INT64, false).expandDims(-1), -1);
        gc.backward(lp.sum().neg());
      }
      List<float[]> g = new ArrayList<>();
      for (Parameter p : block.namedParameters().values()) {
        g.add(p.getArray().getGradient().toFloatArray());
      }
      return g.toArray(new float[0][]);
    }
  }

  @Test
  void projectionsAreEnumeratedByNameAndAdaptersCanBeSwitchedOff() {
    LlamaConfig c = tiny(RopeLayout.INTERLEAVED, false);
    try (Model model = randomModel(c, 29); NDManager m = model.getNDManager().newSubManager()) {
      LlamaModel block = (LlamaModel) model.getBlock();
      assertThat(block.projections()).hasSize(7 * c.nLayers() + 1)
          .containsKeys("layers.0.attention.wq", "layers.1.feed_forward.w2", "output");
      int[] tokens = randomTokens(10, c.vocabSize(), 8);
      NDArray ids = m.create(tokens).reshape(1, 10);
      float[] base = block.logits(ids).toFloatArray();
      NDArray delta = m.randomNormal(new Shape(c.dim(), c.kvDim())).mul(m.create(0.1f));
      ProjectionAdapter adapter = new ProjectionAdapter() {
        boolean on = true;

        @Override
        public NDArray apply(ai.djl.training.ParameterStore ps, NDArray x, NDArray baseOut, boolean training) {
          return baseOut.add(x.matMul(delta));
        }

        @Override
        public boolean enabled() {
          return on;
        }

        @Override
        public void setEnabled(boolean enabled) {
          on = enabled;
        }
      };
      block.projections().get("layers.1.attention.wv").setAdapter(adapter);
      float[] adapted = block.logits(ids).toFloatArray();
      assertThat(maxAbsDiff(base, adapted)).isGreaterThan(1e-3f);
      adapter.setEnabled(false);
      assertThat(maxAbsDiff(base, block.logits(ids).toFloatArray())).isLessThan(1e-6f);
    }
  }

  private static float maxAbsDiff(float[] a, float[] b) {
    float m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  @Test
  void configIsValidatedAndRoundTripsThroughJson() {
    LlamaConfig c = tiny(RopeLayout.HALF, false);
    assertThat(LlamaConfig.fromJson(c.toJson())).isEqualTo(c);
    assertThatThrownBy(() -> c.toBuilder().nKvHeads(3).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nKvHeads");
    assertThatThrownBy(() -> c.toBuilder().ropeLayout(null).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(LlamaConfig.stories260K().parameterCount()).isBetween(250_000L, 300_000L);
    assertThat(LlamaConfig.small10M().parameterCount()).isBetween(9_000_000L, 11_000_000L);
  }
}

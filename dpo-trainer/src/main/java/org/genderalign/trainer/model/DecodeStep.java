package org.genderalign.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/**
 * The hot loop of generation: one new token per row through every layer over a
 * {@link GenerationCache}, with the model's weights rearranged once per generation run.
 *
 * <p>On a small model a step's cost is the number of tensor operations (each one a trip through
 * DJL, JNI and PyTorch's dispatcher, a few microseconds), not arithmetic; so this step is
 * written for few operations, and everything that does not change between steps is done once:
 * <ul>
 *   <li>{@code [wq | wk | wv]} and {@code [w1 | w3]} are concatenated once per run (not per step
 *       and layer) with the preceding RMSNorm weight folded into their columns
 *       ({@code (x/r ⊙ g)·Wᵀ = (x·(W ⊙ g)ᵀ)/r}); the per-row {@code 1/r} is applied to the
 *       matmul's output in place, so RMSNorm costs no normalised copy of {@code x}. The final
 *       norm's weight multiplies {@code x} in place (the head is not copied).</li>
 *   <li>RoPE rotates the fused {@code [q | k | v]} heads in one pass, {@code y·cos + (y·R)·sin}
 *       with {@code R} a signed permutation (exact); the per-head cos/sin of the step are made
 *       once for all layers, with the softmax scale folded into q's and v's left unrotated
 *       ({@code cos 1, sin 0}).</li>
 *   <li>The new keys and values are one in-place copy into the cache; attention reads windows of
 *       the cache made once per {@link GenerationCache#WINDOW} steps, keys already transposed;
 *       the window's unwritten columns are hidden by the cache's mask (their weight is exactly
 *       0).</li>
 *   <li>Activations are {@code (B, dim)}; residual additions and scalings are in place (no
 *       graph is recorded, so in-place updates are safe here).</li>
 * </ul>
 *
 * <p>Adapters ({@link ProjectionAdapter}, e.g. LoRA) are folded into the fused weights as the
 * linear maps they are: a projection's effective weight is read off its output for the identity
 * matrix ({@code I·W_effᵀ}). The rearranged weights are a snapshot: a run that outlives a
 * weight update would not see it (a run is one {@code generate} batch).
 */
final class DecodeStep {

  private final LlamaConfig config;
  private final DataType type;
  private final NDArray eps;
  /** {@code (vocab, dim)}: the model's own embedding table. */
  private final NDArray embedding;
  /** Per layer {@code (H·hd + 2·KV·hd, dim)}: {@code [wq | wk | wv]} ⊙ attention_norm. */
  private final NDArray[] qkv;
  /** Per layer {@code (dim, dim)}. */
  private final NDArray[] wo;
  /** Per layer {@code (2·hidden, dim)}: {@code [w1 | w3]} ⊙ ffn_norm. */
  private final NDArray[] gateUp;
  /** Per layer {@code (dim, hidden)}. */
  private final NDArray[] down;
  /** {@code (dim)}: the final norm's weight. */
  private final NDArray finalNorm;
  /** {@code (vocab, dim)}. */
  private final NDArray head;
  /** {@code (hd, hd)}: {@code rot(y) = y·R}, the RoPE partner of each dimension, signed. */
  private final NDArray rotation;
  /** {@code (capacity, 2·hd)}: {@code [cos | sin]} of each position. */
  private final NDArray ropeTable;
  /** {@code (2, H + 2·KV, 1)}: per head, what cos and sin are multiplied by. */
  private final NDArray headScale;
  /** {@code (2, H + 2·KV, 1)}: per head, what is added to cos and sin after. */
  private final NDArray headBias;

  /**
   * @param model the model whose weights (and enabled adapters) are read now
   * @param into where the rearranged weights live (the generation's manager)
   * @param type the activation type (the model's weight type)
   * @param positions positions the run can reach (the cache's capacity)
   */
  DecodeStep(LlamaModel model, NDManager into, DataType type, int positions) {
    this.config = model.config();
    this.type = type;
    int n = config.nLayers();
    int hd = config.headDim();
    this.qkv = new NDArray[n];
    this.wo = new NDArray[n];
    this.gateUp = new NDArray[n];
    this.down = new NDArray[n];
    try (NDManager tmp = into.newSubManager()) {
      ParameterStore ps = new ParameterStore(tmp, false);
      for (int i = 0; i < n; i++) {
        TransformerLayer layer = model.layers().get(i);
        Attention a = layer.attention();
        qkv[i] = fuse(tmp, into, layer.attentionNorm(), weight(ps, tmp, a.wq()),
            weight(ps, tmp, a.wk()), weight(ps, tmp, a.wv()));
        wo[i] = own(weight(ps, tmp, a.wo()), a.wo(), into);
        FeedForward f = layer.feedForward();
        gateUp[i] = fuse(tmp, into, layer.ffnNorm(), weight(ps, tmp, f.w1()),
            weight(ps, tmp, f.w3()));
        down[i] = own(weight(ps, tmp, f.w2()), f.w2(), into);
      }
      this.head = model.output() == null ? model.tokEmbeddings().getArray()
          : own(weight(ps, tmp, model.output()), model.output(), into);
    }
    this.embedding = model.tokEmbeddings().getArray();
    this.finalNorm = model.norm().weight().getArray();
    this.eps = into.create((float) config.normEps()); // as ModelConstants' NORM_EPS
    // rot(x) = x · R: the RoPE partner of each dimension, negated where the rotation says so
    float[] r = new float[hd * hd];
    for (int j = 0; j < hd / 2; j++) {
      int a = config.ropeLayout() == RopeLayout.INTERLEAVED ? 2 * j : j;
      int b = config.ropeLayout() == RopeLayout.INTERLEAVED ? 2 * j + 1 : j + hd / 2;
      r[b * hd + a] = -1f; // rot[a] = -x[b]
      r[a * hd + b] = 1f; // rot[b] = x[a]
    }
    this.rotation = into.create(r, new Shape(hd, hd)).toType(type, false);
    float[][] cs = ModelConstants.ropeTables(config, positions);
    float[] table = new float[positions * 2 * hd];
    for (int p = 0; p < positions; p++) {
      System.arraycopy(cs[0], p * hd, table, 2 * p * hd, hd);
      System.arraycopy(cs[1], p * hd, table, (2 * p + 1) * hd, hd);
    }
    this.ropeTable = into.create(table, new Shape(positions, 2L * hd)).toType(type, false);
    // per head of [q | k | v]: q rotated and scaled by 1/sqrt(hd) (the softmax scale), k
    // rotated, v untouched (cos 1, sin 0: x·1 + r·0 = x exactly)
    int h = config.nHeads();
    int heads = h + 2 * config.nKvHeads();
    float scale = (float) (1.0 / Math.sqrt(hd));
    float[] mul = new float[2 * heads];
    float[] add = new float[2 * heads];
    for (int k = 0; k < heads; k++) {
      boolean v = k >= h + config.nKvHeads();
      mul[k] = k < h ? scale : v ? 0f : 1f;
      mul[heads + k] = mul[k];
      add[k] = v ? 1f : 0f;
    }
    this.headScale = into.create(mul, new Shape(2, heads, 1)).toType(type, false);
    this.headBias = into.create(add, new Shape(2, heads, 1)).toType(type, false);
  }

  /**
   * One token per row: {@code ids, positions (B, 1)} int → logits {@code (B, vocab)} float32;
   * writes column {@code cache.length()} and advances the cache by one.
   */
  NDArray forward(NDArray ids, NDArray positions, GenerationCache cache) {
    long b = cache.batch();
    int h = config.nHeads();
    int kvh = config.nKvHeads();
    int hd = config.headDim();
    cache.beginStep(); // fails first if the cache is full
    NDArray x = Embedding.embedding(ids.reshape(b).toType(DataType.INT64, false), embedding,
        SparseFormat.DENSE).singletonOrThrow(); // (B, dim)
    // this step's cos and sin per head, for every layer: (B, 1, H + 2KV, hd) each
    NDList cs = Embedding.embedding(positions.reshape(b).toType(DataType.INT64, false),
        ropeTable, SparseFormat.DENSE).singletonOrThrow().reshape(b, 2, 1, hd).mul(headScale)
        .addi(headBias).split(2, 1);
    NDArray cos = cs.get(0);
    NDArray sin = cs.get(1);
    NDArray mask = cache.mask(); // (B, 1, 1, W)
    for (int i = 0; i < qkv.length; i++) {
      NDArray y = Linear.linear(x, qkv[i]).singletonOrThrow().divi(rms(x))
          .reshape(b, 1, h + 2L * kvh, hd); // RMSNorm folded in: (B, 1, H + 2KV, hd)
      NDArray rot = y.matMul(rotation).muli(sin);
      y.muli(cos).addi(rot);
      NDList qAndKv = y.split(new long[] {h}, 2); // q (B, 1, H, hd), k|v (B, 1, 2KV, hd)
      cache.writeColumn(i, qAndKv.get(1).reshape(b, 2, kvh, hd).transpose(0, 2, 1, 3));
      // query head h uses key/value head h / rep: (B, H, hd) → (B, KV, rep, hd)
      NDArray scores = qAndKv.get(0).reshape(b, kvh, config.kvGroups(), hd)
          .matMul(cache.keysT(i)); // (B, KV, rep, W)
      if (type != DataType.FLOAT32) {
        scores = scores.toType(DataType.FLOAT32, false);
      }
      NDArray p = scores.addi(mask).softmax(-1);
      if (type != DataType.FLOAT32) {
        p = p.toType(type, false);
      }
      NDArray o = p.matMul(cache.values(i)).reshape(b, config.dim()); // (B, dim)
      x.addi(Linear.linear(o, wo[i]).singletonOrThrow());
      NDList gu = Linear.linear(x, gateUp[i]).singletonOrThrow().divi(rms(x))
          .split(2, 1); // gate, up: (B, hidden)
      NDArray act = Activation.sigmoid(gu.get(0)).muli(gu.get(0)).muli(gu.get(1)); // silu·up
      x.addi(Linear.linear(act, down[i]).singletonOrThrow());
    }
    cache.advance(1);
    NDArray r = rms(x);
    NDArray logits = Linear.linear(x.muli(finalNorm), head).singletonOrThrow().divi(r); // (B, V)
    return logits.getDataType() == DataType.FLOAT32 ? logits
        : logits.toType(DataType.FLOAT32, false);
  }

  /** RMSNorm's divisor {@code sqrt(mean(x²) + eps)} per row, {@code (B, 1)}, in float32. */
  private NDArray rms(NDArray x) {
    NDArray xf = type == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
    NDArray r = xf.square().mean(new int[] {-1}, true).addi(eps).sqrt();
    return type == DataType.FLOAT32 ? r : r.toType(type, false);
  }

  /**
   * A projection's effective weight {@code (out, in)}: its own, or with an enabled adapter
   * folded in, read off the output for the identity ({@code I·W_effᵀ}; exact for a linear
   * adapter such as LoRA).
   */
  private NDArray weight(ParameterStore ps, NDManager tmp, Projection p) {
    if (!p.hasActiveAdapter()) {
      return p.weight().getArray();
    }
    NDArray eye = tmp.eye((int) p.in()).toType(type, false);
    return p.apply(ps, eye, false).transpose();
  }

  /** The row-wise concatenation of {@code parts} with {@code norm}'s weight folded into its columns. */
  private static NDArray fuse(NDManager tmp, NDManager into, RmsNorm norm, NDArray... parts) {
    NDArray cat = NDArrays.concat(new NDList(parts), 0); // (Σ out, in)
    cat.attach(tmp); // concat puts it in the first part's manager (the model's)
    NDArray g = norm.weight().getArray().reshape(1, -1);
    g.attach(tmp);
    NDArray fused = cat.mul(g.toType(cat.getDataType(), false));
    fused.attach(into);
    return fused;
  }

  /** Keeps an adapter's fold (made in a temporary manager) for the run; the model's own weight as it is. */
  private static NDArray own(NDArray w, Projection p, NDManager into) {
    if (p.hasActiveAdapter()) {
      w.attach(into);
    }
    return w;
  }
}

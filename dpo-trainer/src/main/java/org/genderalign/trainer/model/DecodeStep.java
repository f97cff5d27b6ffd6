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
 * <p>On a small model a step's cost is the fixed cost of its tensor operations (each one a trip
 * through DJL, JNI and PyTorch's dispatcher, plus freeing its result; attention's many tiny
 * per-head matmuls and its softmax are the largest, see docs/generation.md), not arithmetic; so
 * this step is written for few operations (28 per layer), and everything that does not change
 * between steps is done once per run:
 * <ul>
 *   <li>One matmul per layer gives {@code q}, {@code k} and {@code v}, rotated together
 *       ({@code y·cos + (y·R)·sin}, {@code R} a signed permutation: exact) with the step's cos
 *       and sin per head, made once for all layers; the softmax scale is folded into q's, and v
 *       passes unchanged ({@code cos 1, sin 0}). Measured: cheaper than rotating with extra
 *       weight rows (one more multiply-and-sum over a twice larger output).</li>
 *   <li>The preceding RMSNorm weight is folded into the fused weights' columns
 *       ({@code (x/r ⊙ g)·Wᵀ = (x·(W ⊙ g)ᵀ)/r}); the per-row {@code r = sqrt(mean(x²) + eps)} is
 *       one matmul with a bias ({@code x² · (1/dim) + eps}) and a square root, and divides the
 *       matmul's output in place, so no normalised copy of {@code x} is made.</li>
 *   <li>The rows are grouped by key/value head {@code j}: its {@code rep = H / KV} query heads
 *       (query head {@code h} uses key/value head {@code h / rep}), then {@code k_j}, {@code v_j};
 *       so one split gives the queries as {@code (B, KV, rep, hd)}, attention's layout, and the
 *       step's keys and values as {@code (B, KV, 2, hd)}, the cache's column layout (one
 *       in-place copy per layer).
 *       Attention reads windows of the cache made once per {@link GenerationCache#WINDOW} steps,
 *       keys already transposed; the window's unwritten columns are hidden by the cache's mask
 *       (their weight is exactly 0).</li>
 *   <li>Residuals are the bias of the output projections ({@code x + o·Woᵀ} is one
 *       {@code addmm}); activations are {@code (B, dim)}.</li>
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
  /** {@code (vocab, dim)}: the model's own embedding table. */
  private final NDArray embedding;
  /**
   * Per layer {@code ((H + 2KV)·hd, dim)}: rows grouped by KV head {@code j} (its {@code rep}
   * query heads, {@code k_j}, {@code v_j}) ⊙ attention_norm.
   */
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
  /** {@code (1, dim)} float32 of {@code 1/dim}, and {@code (1)} eps: RMSNorm's mean as a matmul. */
  private final NDArray meanWeight;
  private final NDArray eps;
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
    int h = config.nHeads();
    int kvh = config.nKvHeads();
    int rep = config.kvGroups();
    int heads = h + 2 * kvh;
    this.qkv = new NDArray[n];
    this.wo = new NDArray[n];
    this.gateUp = new NDArray[n];
    this.down = new NDArray[n];
    try (NDManager tmp = into.newSubManager()) {
      ParameterStore ps = new ParameterStore(tmp, false);
      long dim = config.dim();
      for (int i = 0; i < n; i++) {
        TransformerLayer layer = model.layers().get(i);
        Attention a = layer.attention();
        // per KV group j: its rep query heads, then k_j, then v_j: (KV, (rep + 2)·hd, dim)
        NDArray plain = inTmp(NDArrays.concat(new NDList(
            inTmp(weight(ps, tmp, a.wq()).reshape(kvh, rep * hd, dim), tmp),
            inTmp(weight(ps, tmp, a.wk()).reshape(kvh, hd, dim), tmp),
            inTmp(weight(ps, tmp, a.wv()).reshape(kvh, hd, dim), tmp)), 1), tmp)
            .reshape(-1, dim); // ((H + 2KV)·hd, dim)
        qkv[i] = foldNorm(tmp, into, layer.attentionNorm(), plain);
        wo[i] = own(weight(ps, tmp, a.wo()), a.wo(), into);
        FeedForward f = layer.feedForward();
        gateUp[i] = foldNorm(tmp, into, layer.ffnNorm(), weight(ps, tmp, f.w1()),
            weight(ps, tmp, f.w3()));
        down[i] = own(weight(ps, tmp, f.w2()), f.w2(), into);
      }
      this.head = model.output() == null ? model.tokEmbeddings().getArray()
          : own(weight(ps, tmp, model.output()), model.output(), into);
    }
    this.embedding = model.tokEmbeddings().getArray();
    this.rotation = rotation(into, config).toType(type, false);
    this.finalNorm = model.norm().weight().getArray();
    float[] mean = new float[config.dim()];
    java.util.Arrays.fill(mean, 1f / config.dim());
    this.meanWeight = into.create(mean, new Shape(1, config.dim()));
    this.eps = into.create(new float[] {(float) config.normEps()}); // as ModelConstants' NORM_EPS
    float[][] cs = ModelConstants.ropeTables(config, positions);
    float[] table = new float[positions * 2 * hd];
    for (int p = 0; p < positions; p++) {
      System.arraycopy(cs[0], p * hd, table, 2 * p * hd, hd);
      System.arraycopy(cs[1], p * hd, table, (2 * p + 1) * hd, hd);
    }
    this.ropeTable = into.create(table, new Shape(positions, 2L * hd)).toType(type, false);
    // per head of each group [q… k v]: q rotated and scaled by 1/sqrt(hd) (the softmax scale),
    // k rotated, v untouched (cos 1, sin 0: y·1 + rot(y)·0 = y exactly)
    float scale = (float) (1.0 / Math.sqrt(hd));
    float[] mul = new float[2 * heads];
    float[] add = new float[2 * heads];
    for (int k = 0; k < heads; k++) {
      int inGroup = k % (rep + 2);
      boolean q = inGroup < rep;
      boolean v = inGroup == rep + 1;
      mul[k] = q ? scale : v ? 0f : 1f;
      mul[heads + k] = mul[k];
      add[k] = v ? 1f : 0f;
    }
    Shape perHead = new Shape(2, kvh, rep + 2, 1);
    this.headScale = into.create(mul, perHead).toType(type, false);
    this.headBias = into.create(add, perHead).toType(type, false);
  }

  /**
   * One token per row: {@code ids, positions (B, 1)} int → logits {@code (B, vocab)} float32;
   * writes column {@code cache.length()} and advances the cache by one.
   */
  NDArray forward(NDArray ids, NDArray positions, GenerationCache cache) {
    long b = cache.batch();
    int kvh = config.nKvHeads();
    int hd = config.headDim();
    int rep = config.kvGroups();
    cache.beginStep(); // fails first if the cache is full
    NDArray x = Embedding.embedding(ids.reshape(b).toType(DataType.INT64, false), embedding,
        SparseFormat.DENSE).singletonOrThrow(); // (B, dim)
    // this step's cos and sin per head, for every layer: (B, KV, rep + 2, hd) each
    NDList cs = Embedding.embedding(positions.reshape(b).toType(DataType.INT64, false),
        ropeTable, SparseFormat.DENSE).singletonOrThrow().reshape(b, 2, 1, 1, hd)
        .mul(headScale).addi(headBias).split(2, 1);
    NDArray cos = cs.get(0).squeeze(1);
    NDArray sin = cs.get(1).squeeze(1);
    NDArray mask = cache.mask(); // (B, 1, 1, W)
    for (int i = 0; i < qkv.length; i++) {
      // RMSNorm folded in: (B, KV, rep + 2, hd), per group its query heads, key and value
      NDArray y = Linear.linear(x, qkv[i]).singletonOrThrow().divi(rms(x))
          .reshape(b, kvh, rep + 2, hd);
      NDArray rot = y.matMul(rotation).muli(sin);
      // rotated; its query heads (B, KV, rep, hd), its key and value (B, KV, 2, hd)
      NDList qAndKv = y.muli(cos).addi(rot).split(new long[] {rep}, 2);
      cache.writeColumn(i, qAndKv.get(1));
      NDArray scores = qAndKv.get(0).matMul(cache.keysT(i)); // (B, KV, rep, W)
      if (type != DataType.FLOAT32) {
        scores = scores.toType(DataType.FLOAT32, false);
      }
      NDArray p = scores.addi(mask).softmax(-1);
      if (type != DataType.FLOAT32) {
        p = p.toType(type, false);
      }
      NDArray o = p.matMul(cache.values(i)).reshape(b, config.dim()); // (B, dim)
      x = Linear.linear(o, wo[i], x).singletonOrThrow(); // x + o·Woᵀ: (B, dim)
      NDList gu = Linear.linear(x, gateUp[i]).singletonOrThrow().divi(rms(x))
          .split(2, 1); // gate, up: (B, hidden)
      NDArray act = Activation.sigmoid(gu.get(0)).muli(gu.get(0)).muli(gu.get(1)); // silu·up
      x = Linear.linear(act, down[i], x).singletonOrThrow(); // x + act·W2ᵀ: (B, dim)
    }
    cache.advance(1);
    NDArray r = rms(x);
    NDArray logits = Linear.linear(x.muli(finalNorm), head).singletonOrThrow().divi(r); // (B, V)
    return logits.getDataType() == DataType.FLOAT32 ? logits
        : logits.toType(DataType.FLOAT32, false);
  }

  /** RMSNorm's divisor {@code sqrt(mean(x²) + eps)} per row, {@code (B, 1)}. */
  private NDArray rms(NDArray x) {
    NDArray xf = type == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
    NDArray r = Linear.linear(xf.square(), meanWeight, eps).singletonOrThrow().sqrt();
    return type == DataType.FLOAT32 ? r : r.toType(type, false);
  }

  /** {@code R (hd, hd)} with {@code rot(y) = y·R}: each dimension's RoPE partner, signed. */
  private static NDArray rotation(NDManager m, LlamaConfig config) {
    int hd = config.headDim();
    float[] r = new float[hd * hd];
    for (int j = 0; j < hd / 2; j++) {
      int a = config.ropeLayout() == RopeLayout.INTERLEAVED ? 2 * j : j;
      int b = config.ropeLayout() == RopeLayout.INTERLEAVED ? 2 * j + 1 : j + hd / 2;
      r[b * hd + a] = -1f; // rot[a] = -y[b]
      r[a * hd + b] = 1f; // rot[b] = y[a]
    }
    return m.create(r, new Shape(hd, hd));
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
  private static NDArray foldNorm(NDManager tmp, NDManager into, RmsNorm norm,
      NDArray... parts) {
    NDArray cat = inTmp(NDArrays.concat(new NDList(parts), 0), tmp); // (Σ out, in)
    NDArray g = inTmp(norm.weight().getArray().reshape(1, -1), tmp);
    NDArray fused = cat.mul(g.toType(cat.getDataType(), false));
    fused.attach(into);
    return fused;
  }

  /**
   * Moves {@code a} into {@code tmp}: an operation's result lands in its first operand's manager,
   * which for the model's own weights is the model's, where it would stay until the model closes.
   */
  private static NDArray inTmp(NDArray a, NDManager tmp) {
    a.attach(tmp);
    return a;
  }

  /** Keeps an adapter's fold (made in a temporary manager) for the run; the model's own weight as it is. */
  private static NDArray own(NDArray w, Projection p, NDManager into) {
    if (p.hasActiveAdapter()) {
      w.attach(into);
    }
    return w;
  }
}

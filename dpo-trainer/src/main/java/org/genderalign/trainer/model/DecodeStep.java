package org.genderalign.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;

/**
 * The forward passes of generation over a {@link GenerationCache} — the prompt block
 * ({@link #prefill}) and every later one-token step ({@link #forward}, {@link #greedy}) — with
 * the model's weights rearranged once per generation run.
 *
 * <p>On a small model a step's cost is the fixed cost of its tensor operations, not arithmetic.
 * Through DJL each operation is a JNI trip, a Java object and a native free (≈ 3–10 µs on
 * stories260K's shapes; a step has ~165); so each pass is one call of a TorchScript module,
 * {@code decode_step.py} (loaded by {@link TorchScriptModule}), whose interpreter dispatches
 * the same operations for a fraction of that. This class prepares what the module takes, once
 * per run; everything that does not change between steps is done then:
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
 *       so one view gives the queries as {@code (B, KV, rep, hd)}, attention's layout, and the
 *       step's keys and values as {@code (B, KV, 2, hd)}, the cache's column layout (one
 *       in-place copy per layer).
 *       Attention reads the cache's first columns, keys already transposed, in windows rounded
 *       up to 16 columns; the window's unwritten columns are hidden by the cache's mask (their
 *       weight is exactly 0).</li>
 *   <li>Residuals are the bias of the output projections ({@code x + o·Woᵀ} is one
 *       {@code addmm}, {@code Woᵀ} a view); activations are {@code (B, dim)}.</li>
 * </ul>
 *
 * <p>Adapters ({@link ProjectionAdapter}, e.g. LoRA) are folded into the fused weights as the
 * linear maps they are: a projection's effective weight is read off its output for the identity
 * matrix ({@code I·W_effᵀ}). The rearranged weights are a snapshot: a run that outlives a
 * weight update would not see it (a run is one {@code generate} batch).
 */
final class DecodeStep implements AutoCloseable {

  /**
   * The most bytes the fused copies (q/k/v and gate/up of every layer, norm weights folded in)
   * may take; above it the model's own weights are used as they are (three q/k/v and two
   * gate/up GEMMs per layer, the norm weights applied to the activations). 256 MiB: a 260K or
   * 10M model fuses (its step is bound by the number of operations); a 1B model in bf16 would
   * need ~1.3 GB more and does not (its step is bound by its GEMMs, which fusing does not make
   * cheaper).
   */
  static volatile long fuseLimitBytes = 256L << 20;

  /** Tensors per layer in {@link #layerList}: fused, or the model's own. */
  private static final int FUSED = 4;
  private static final int PLAIN = 9;

  private final DataType type;
  /** Whether the q/k/v and gate/up weights are fused copies (see {@link #fuseLimitBytes}). */
  private final boolean fused;
  /**
   * The step's model-wide tensors, in {@code decode_step.py}'s order: embedding {@code (V, dim)}
   * (the model's own), rotation {@code R (hd, hd)} ({@code rot(y) = y·R}, each dimension's RoPE
   * partner, signed), RMSNorm's mean as a matmul {@code (dim, 1)} float32 of {@code 1/dim} and
   * eps {@code (1)}, the RoPE table {@code (positions, 2·hd)} ({@code [cos | sin]}), per head
   * what cos and sin are multiplied by and then added to {@code (2, KV, rep + 2, 1)} each, the
   * final norm's weight {@code (dim)}, the output head {@code (V, dim)}.
   */
  private final IValue weightList;
  /**
   * Per layer, fused: qkv {@code ((H + 2KV)·hd, dim)} (rows grouped by KV head {@code j}: its
   * {@code rep} query heads, {@code k_j}, {@code v_j}; ⊙ attention_norm), wo {@code (dim, dim)},
   * gate|up {@code (2·hidden, dim)} ({@code [w1 | w3]} ⊙ ffn_norm), down {@code (dim, hidden)};
   * or plain: wq, wk, wv, wo, w1, w3, down, attention_norm, ffn_norm. wo and down as
   * transposed views.
   */
  private final IValue layerList;
  /** Query heads. */
  private final int heads;
  private final IValue kvHeads;
  private final IValue groups;
  private final IValue headDim;

  /**
   * @param model the model whose weights (and enabled adapters) are read now
   * @param into where the rearranged weights live (the generation's manager)
   * @param type the activation type (the model's weight type)
   * @param positions positions the run can reach (the cache's capacity)
   */
  DecodeStep(LlamaModel model, NDManager into, DataType type, int positions) {
    LlamaConfig config = model.config();
    this.type = type;
    int n = config.nLayers();
    int hd = config.headDim();
    int h = config.nHeads();
    int kvh = config.nKvHeads();
    int rep = config.kvGroups();
    int heads = h + 2 * kvh;
    long fusedBytes = 0;
    for (TransformerLayer layer : model.layers()) {
      Attention a = layer.attention();
      FeedForward f = layer.feedForward();
      fusedBytes += (a.wq().out() + a.wk().out() + a.wv().out() + f.w1().out() + f.w3().out())
          * config.dim() * (long) type.getNumOfBytes();
    }
    this.fused = fusedBytes <= fuseLimitBytes;
    NDArray[] layers = new NDArray[(fused ? FUSED : PLAIN) * n];
    NDArray head;
    try (NDManager tmp = into.newSubManager()) {
      ParameterStore ps = new ParameterStore(tmp, false);
      long dim = config.dim();
      for (int i = 0; i < n; i++) {
        TransformerLayer layer = model.layers().get(i);
        Attention a = layer.attention();
        FeedForward f = layer.feedForward();
        if (!fused) {
          // the model's own weights (an adapter's fold is the only copy), norms applied to x
          int k = PLAIN * i;
          layers[k] = own(weight(ps, tmp, a.wq()), a.wq(), into);
          layers[k + 1] = own(weight(ps, tmp, a.wk()), a.wk(), into);
          layers[k + 2] = own(weight(ps, tmp, a.wv()), a.wv(), into);
          layers[k + 3] = transposed(own(weight(ps, tmp, a.wo()), a.wo(), into), into);
          layers[k + 4] = own(weight(ps, tmp, f.w1()), f.w1(), into);
          layers[k + 5] = own(weight(ps, tmp, f.w3()), f.w3(), into);
          layers[k + 6] = transposed(own(weight(ps, tmp, f.w2()), f.w2(), into), into);
          layers[k + 7] = layer.attentionNorm().weight().getArray();
          layers[k + 8] = layer.ffnNorm().weight().getArray();
          continue;
        }
        // per KV group j: its rep query heads, then k_j, then v_j: (KV, (rep + 2)·hd, dim)
        NDArray plain = inTmp(NDArrays.concat(new NDList(
            inTmp(weight(ps, tmp, a.wq()).reshape(kvh, rep * hd, dim), tmp),
            inTmp(weight(ps, tmp, a.wk()).reshape(kvh, hd, dim), tmp),
            inTmp(weight(ps, tmp, a.wv()).reshape(kvh, hd, dim), tmp)), 1), tmp)
            .reshape(-1, dim); // ((H + 2KV)·hd, dim)
        layers[FUSED * i] = foldNorm(tmp, into, layer.attentionNorm(), plain);
        layers[FUSED * i + 1] = transposed(own(weight(ps, tmp, a.wo()), a.wo(), into), into);
        layers[FUSED * i + 2] = foldNorm(tmp, into, layer.ffnNorm(), weight(ps, tmp, f.w1()),
            weight(ps, tmp, f.w3()));
        layers[FUSED * i + 3] = transposed(own(weight(ps, tmp, f.w2()), f.w2(), into), into);
      }
      head = model.output() == null ? model.tokEmbeddings().getArray()
          : own(weight(ps, tmp, model.output()), model.output(), into);
    }
    NDArray rotation = rotation(into, config).toType(type, false);
    float[] mean = new float[config.dim()];
    java.util.Arrays.fill(mean, 1f / config.dim());
    NDArray meanWeight = into.create(mean, new Shape(config.dim(), 1));
    NDArray eps = into.create(new float[] {(float) config.normEps()}); // as ModelConstants' NORM_EPS
    float[][] cs = ModelConstants.ropeTables(config, positions);
    float[] table = new float[positions * 2 * hd];
    for (int p = 0; p < positions; p++) {
      System.arraycopy(cs[0], p * hd, table, 2 * p * hd, hd);
      System.arraycopy(cs[1], p * hd, table, (2 * p + 1) * hd, hd);
    }
    NDArray ropeTable = into.create(table, new Shape(positions, 2L * hd)).toType(type, false);
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
    NDArray headScale = into.create(mul, perHead).toType(type, false);
    NDArray headBias = into.create(add, perHead).toType(type, false);
    this.weightList = IValue.listFrom(pt(model.tokEmbeddings().getArray()), pt(rotation),
        pt(meanWeight), pt(eps), pt(ropeTable), pt(headScale), pt(headBias),
        pt(model.norm().weight().getArray()), pt(head));
    this.layerList = IValue.listFrom(java.util.Arrays.stream(layers).map(DecodeStep::pt)
        .toArray(PtNDArray[]::new));
    this.heads = h;
    this.kvHeads = IValue.from((long) kvh);
    this.groups = IValue.from((long) rep);
    this.headDim = IValue.from((long) hd);
  }

  private static PtNDArray pt(NDArray a) {
    return (PtNDArray) a;
  }

  /**
   * One token per row: {@code ids, positions (B)} → logits {@code (B, vocab)} float32 in
   * {@code into}; writes column {@code cache.length()} and advances the cache by one. The step
   * itself is {@code decode_step.py}'s {@code forward}, one TorchScript call.
   */
  NDArray forward(long[] ids, long[] positions, GenerationCache cache, NDManager into) {
    cache.beginStep(1); // fails first if the cache is full
    try (NoGrad g = new NoGrad();
        IValue i = IValue.listFrom(ids);
        IValue p = IValue.listFrom(positions);
        IValue length = IValue.from((long) cache.length());
        IValue out = Script.MODULE.forward(i, p, weightList, layerList, cache.scriptCache(),
            cache.scriptVisible(), length, kvHeads, groups, headDim)) {
      NDArray logits = out.toTensor((PtNDManager) into); // (B, V) float32
      cache.advance(1);
      return logits;
    }
  }

  /** {@link #forward} and each row's argmax in the same call: {@code (B)} token ids. */
  long[] greedy(long[] ids, long[] positions, GenerationCache cache) {
    cache.beginStep(1);
    try (NoGrad g = new NoGrad();
        IValue i = IValue.listFrom(ids);
        IValue p = IValue.listFrom(positions);
        IValue length = IValue.from((long) cache.length());
        IValue out = IValueUtils.runMethod(Script.MODULE, "greedy", i, p, weightList, layerList,
            cache.scriptCache(), cache.scriptVisible(), length, kvHeads, groups, headDim)) {
      long[] chosen = out.toLongArray();
      cache.advance(1);
      return chosen;
    }
  }

  /**
   * A block of {@code T} tokens per row (a left-padded prompt): {@code ids, positions (B, T)}
   * int64 → the last position's logits {@code (B, vocab)} float32 in {@code ids}' manager;
   * writes columns {@code [length, length + T)}, makes the real ones visible (the cache's key
   * padding) and advances the cache by {@code T}. One TorchScript call:
   * {@code decode_step.py}'s {@code prefill}.
   */
  NDArray prefill(NDArray ids, NDArray positions, GenerationCache cache) {
    long b = ids.getShape().get(0);
    int t = (int) ids.getShape().get(1);
    cache.beginStep(t);
    int width = (cache.length() + t + 15) / 16 * 16; // as the script's window
    long rowBytes = b * heads * width * 4L; // one query's f32 scores over every head
    long block = Math.max(1, Math.min(t, Attention.scoreBlockBytes / Math.max(1, rowBytes)));
    try (NoGrad g = new NoGrad();
        NDManager tmp = ids.getManager().newSubManager();
        IValue i = IValue.from(int64(ids));
        IValue p = IValue.from(int64(positions));
        IValue keep = IValue.from((PtNDArray) cache.keyPadding(cache.length(), t, tmp));
        IValue length = IValue.from((long) cache.length());
        IValue blockT = IValue.from(block);
        IValue out = IValueUtils.runMethod(Script.MODULE, "prefill", i, p, keep, weightList, layerList,
            cache.scriptCache(), cache.scriptVisible(), length, kvHeads, groups, headDim,
            blockT)) {
      NDArray logits = out.toTensor((PtNDManager) ids.getManager()); // (B, V) float32
      cache.advance(t);
      return logits;
    }
  }

  private static PtNDArray int64(NDArray a) {
    return (PtNDArray) a.toType(DataType.INT64, false);
  }

  /** Whether the q/k/v and gate/up weights are fused copies (see {@link #fuseLimitBytes}). */
  boolean fused() {
    return fused;
  }

  @Override
  public void close() {
    weightList.close();
    layerList.close();
    kvHeads.close();
    groups.close();
    headDim.close();
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

  /**
   * {@code wᵀ} as a view kept in {@code into} (addmm reads it as it is; a view of the model's own
   * weight would otherwise land in the model's manager).
   */
  private static NDArray transposed(NDArray w, NDManager into) {
    NDArray t = w.transpose();
    t.attach(into);
    return t;
  }

  /** Keeps an adapter's fold (made in a temporary manager) for the run; the model's own weight as it is. */
  private static NDArray own(NDArray w, Projection p, NDManager into) {
    if (p.hasActiveAdapter()) {
      w.attach(into);
    }
    return w;
  }

  /**
   * Autograd off in this thread while a pass runs (e.g. GRPO samples inside a training step):
   * generation needs no gradients, and recording them would grow the cache into the graph.
   */
  private static final class NoGrad implements AutoCloseable {
    private final boolean was = JniUtils.isGradMode();

    NoGrad() {
      if (was) {
        JniUtils.setGradMode(false);
      }
    }

    @Override
    public void close() {
      if (was) {
        JniUtils.setGradMode(true);
      }
    }
  }

  /** The compiled step: one per process (it holds no tensors), loaded at first use. */
  private static final class Script {
    static final PtSymbolBlock MODULE = TorchScriptModule.load(
        TorchScriptModule.processManager(), "decode_step.py", "DecodeStep");
  }
}

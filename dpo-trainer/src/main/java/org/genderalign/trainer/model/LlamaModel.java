package org.genderalign.trainer.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A Llama-architecture causal LM as one DJL block: token embedding, {@code nLayers} ×
 * {@link TransformerLayer} (RMSNorm, GQA attention with RoPE, SwiGLU), final RMSNorm, and an
 * output head (tied to the embedding or separate).
 *
 * <h2>Forward</h2>
 * {@code forward(ps, NDList(inputIds), training, params)} with {@code inputIds (B, T)} int32 or
 * int64 returns {@code NDList(logits (B, T, vocab) float32)}. Optional further inputs:
 * <ol>
 *   <li>{@code attentionMask (B, past + T)} — 1 for real tokens, 0 for padding keys (needed only
 *       for left padding; right padding is harmless under the causal mask) — or {@code (B, T, past
 *       + T)}: 1 where a query may see a key (combined with the causal rule), for several
 *       sequences packed into one row;</li>
 *   <li>{@code positions (B, T)} int — RoPE positions per row (default {@code past .. past+T-1}).</li>
 * </ol>
 * {@link #forward(ParameterStore, NDList, boolean, KvCache, boolean)} adds the KV-cache path
 * for generation. The pass is split in two for callers that need the output distribution at a
 * few positions only (scoring): {@link #hidden} gives the final hidden states and {@link #head}
 * turns any subset of them into logits. The forward pass is deterministic and uses no {@code Number} operands in the
 * graph (djl-notes trap 1): every constant is a long-lived NDArray owned by the model.
 *
 * <h2>Names</h2>
 * Weights are named as in llama2.c / Meta's {@code model.py}: {@code tok_embeddings.weight},
 * {@code layers.N.attention.wq.weight}, {@code layers.N.feed_forward.w1.weight},
 * {@code layers.N.attention_norm.weight}, {@code layers.N.ffn_norm.weight}, {@code norm.weight},
 * {@code output.weight} (absent when tied). {@link #projections()} lists every matrix that can
 * carry a {@link ProjectionAdapter}.
 */
public final class LlamaModel extends AbstractBlock {

  /** Standard deviation of the random initialisation of every matrix (GPT-2 / llama2.c). */
  public static final float DEFAULT_INIT_STD = 0.02f;

  private final LlamaConfig config;
  private final ModelConstants constants;
  private final Parameter tokEmbeddings;
  private final List<TransformerLayer> layers;
  private final RmsNorm norm;
  private final Projection output;

  public LlamaModel(LlamaConfig config) {
    this.config = Objects.requireNonNull(config);
    this.constants = new ModelConstants(config, () -> tokEmbeddings().getArray().getManager());
    this.tokEmbeddings = addParameter(Parameter.builder().setName("tok_embeddings")
        .setType(Parameter.Type.WEIGHT).build());
    List<TransformerLayer> ls = new ArrayList<>();
    for (int i = 0; i < config.nLayers(); i++) {
      ls.add(addChildBlock("layers." + i, new TransformerLayer(i, config, constants)));
    }
    this.layers = Collections.unmodifiableList(ls);
    this.norm = addChildBlock("norm", new RmsNorm("norm", config.dim(), constants));
    this.output = config.tiedEmbeddings() ? null
        : addChildBlock("output", new Projection("output", config.dim(), config.vocabSize()));
    setInitializer(new NormalInitializer(DEFAULT_INIT_STD), Parameter.Type.WEIGHT);
  }

  public LlamaConfig config() {
    return config;
  }

  /** The token embedding {@code (vocab, dim)}. */
  public Parameter tokEmbeddings() {
    return tokEmbeddings;
  }

  public List<TransformerLayer> layers() {
    return layers;
  }

  public RmsNorm norm() {
    return norm;
  }

  /** The separate output head, or null when tied to the embedding. */
  public Projection output() {
    return output;
  }

  /**
   * Every projection by its dotted name, in model order: {@code layers.N.attention.wq|wk|wv|wo},
   * {@code layers.N.feed_forward.w1|w2|w3}, and {@code output} when untied.
   */
  public Map<String, Projection> projections() {
    Map<String, Projection> m = new LinkedHashMap<>();
    for (TransformerLayer l : layers) {
      Attention a = l.attention();
      for (Projection p : List.of(a.wq(), a.wk(), a.wv(), a.wo())) {
        m.put(p.name(), p);
      }
      FeedForward f = l.feedForward();
      for (Projection p : List.of(f.w1(), f.w2(), f.w3())) {
        m.put(p.name(), p);
      }
    }
    if (output != null) {
      m.put(output.name(), output);
    }
    return m;
  }

  /** Every weight of the base model by its llama2.c name (adapters excluded), in model order. */
  public Map<String, Parameter> namedParameters() {
    Map<String, Parameter> m = new LinkedHashMap<>();
    m.put("tok_embeddings.weight", tokEmbeddings);
    for (TransformerLayer l : layers) {
      m.put(l.attentionNorm().name() + ".weight", l.attentionNorm().weight());
      Attention a = l.attention();
      for (Projection p : List.of(a.wq(), a.wk(), a.wv(), a.wo())) {
        m.put(p.name() + ".weight", p.weight());
      }
      m.put(l.ffnNorm().name() + ".weight", l.ffnNorm().weight());
      FeedForward f = l.feedForward();
      for (Projection p : List.of(f.w1(), f.w2(), f.w3())) {
        m.put(p.name() + ".weight", p.weight());
      }
    }
    m.put("norm.weight", norm.weight());
    if (output != null) {
      m.put("output.weight", output.weight());
    }
    return m;
  }

  /** The shape every named weight must have. */
  public Map<String, Shape> expectedShapes() {
    return expectedShapes(config);
  }

  /** How many weights a model of {@code config} has (without building their map). */
  public static long weightCount(LlamaConfig config) {
    return 2L + 9L * config.nLayers() + (config.tiedEmbeddings() ? 0 : 1);
  }

  /**
   * The shape every named weight of a model of {@code config} must have, in model order:
   * loaders check a file's tensors against it before they allocate anything.
   */
  public static Map<String, Shape> expectedShapes(LlamaConfig config) {
    Map<String, Shape> m = new LinkedHashMap<>();
    long d = config.dim();
    long kv = config.kvDim();
    long hid = config.hiddenDim();
    m.put("tok_embeddings.weight", new Shape(config.vocabSize(), d));
    for (int i = 0; i < config.nLayers(); i++) {
      String p = "layers." + i + ".";
      m.put(p + "attention_norm.weight", new Shape(d));
      m.put(p + "attention.wq.weight", new Shape(d, d));
      m.put(p + "attention.wk.weight", new Shape(kv, d));
      m.put(p + "attention.wv.weight", new Shape(kv, d));
      m.put(p + "attention.wo.weight", new Shape(d, d));
      m.put(p + "ffn_norm.weight", new Shape(d));
      m.put(p + "feed_forward.w1.weight", new Shape(hid, d));
      m.put(p + "feed_forward.w2.weight", new Shape(d, hid));
      m.put(p + "feed_forward.w3.weight", new Shape(hid, d));
    }
    m.put("norm.weight", new Shape(d));
    if (!config.tiedEmbeddings()) {
      m.put("output.weight", new Shape(config.vocabSize(), d));
    }
    return m;
  }

  /**
   * Sets every weight from a name → array map (llama2.c names, see {@link #namedParameters()}),
   * before or after initialisation. Arrays must already be in the manager, device and type the
   * model should use; they are taken over, not copied, when the model is uninitialised.
   *
   * @throws IllegalArgumentException naming every missing, unexpected or mis-shaped weight
   */
  public void loadWeights(Map<String, NDArray> weights) {
    Map<String, Shape> expected = expectedShapes();
    TreeSet<String> missing = new TreeSet<>(expected.keySet());
    missing.removeAll(weights.keySet());
    TreeSet<String> extra = new TreeSet<>(weights.keySet());
    extra.removeAll(expected.keySet());
    if (!missing.isEmpty() || !extra.isEmpty()) {
      throw new IllegalArgumentException("weights do not match the config: missing " + missing
          + ", unexpected " + extra);
    }
    Map<String, Parameter> params = namedParameters();
    for (Map.Entry<String, Shape> e : expected.entrySet()) {
      ModelWeights.assign(params.get(e.getKey()), weights.get(e.getKey()), e.getValue(),
          e.getKey());
    }
    // every parameter now has its array: this only records input shapes and gradient flags
    NDArray first = tokEmbeddings.getArray();
    initialize(first.getManager(), first.getDataType(), new Shape(1, 1));
  }

  @Override
  protected void prepare(Shape[] inputShapes) {
    if (!tokEmbeddings.isInitialized()) {
      tokEmbeddings.setShape(new Shape(config.vocabSize(), config.dim()));
    }
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (Block c : getChildren().values()) {
      c.initialize(manager, dataType, inputShapes);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {new Shape(s.get(0), s.get(1), config.vocabSize())};
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return forward(ps, inputs, training, null, false);
  }

  /**
   * The forward pass with an optional KV cache.
   *
   * @param ps parameter store ({@code new ParameterStore(manager, false)} outside a trainer)
   * @param inputs {@code inputIds (B, T)} [, {@code attentionMask (B, past+T)} [, {@code
   *     positions (B, T)}]] — see the class comment
   * @param training whether this is a training pass
   * @param cache the cache to read and extend, or null for a plain full-sequence pass
   * @param lastOnly if true, logits are computed for the last position only: {@code (B, 1, V)}
   * @return {@code NDList(logits)} float32 {@code (B, T, V)} or {@code (B, 1, V)}
   */
  public NDList forward(ParameterStore ps, NDList inputs, boolean training, KvCache cache,
      boolean lastOnly) {
    NDArray x = hidden(ps, inputs, training, cache); // (B, T, dim)
    long t = x.getShape().get(1);
    if (lastOnly && t > 1) {
      x = x.get(":, " + (t - 1) + ":" + t + ", :"); // (B, 1, dim)
    }
    return new NDList(head(ps, x, training));
  }

  /**
   * The transformer stack without the final norm and output head: the hidden states from which
   * {@link #head} computes the logits of each position.
   *
   * @param inputs as for {@link #forward(ParameterStore, NDList, boolean, KvCache, boolean)}
   * @param cache the cache to read and extend, or null
   * @return {@code (B, T, dim)} in the weights' type
   */
  public NDArray hidden(ParameterStore ps, NDList inputs, boolean training, KvCache cache) {
    NDArray ids = inputs.get(0);
    if (ids.getShape().dimension() != 2) {
      throw new IllegalArgumentException("inputIds must be (B, T), got " + ids.getShape());
    }
    long b = ids.getShape().get(0);
    long t = ids.getShape().get(1);
    int past = cache == null ? 0 : cache.length();
    long s = past + t;
    Device device = ids.getDevice();
    NDManager m = ids.getManager();
    NDArray attn = inputs.size() > 1 ? inputs.get(1) : null;
    NDArray positions = inputs.size() > 2 ? inputs.get(2) : null;
    if (attn != null && !attn.getShape().equals(new Shape(b, s))
        && !attn.getShape().equals(new Shape(b, t, s))) {
      throw new IllegalArgumentException("attentionMask must be (B, past + T) = " + new Shape(b, s)
          + " or (B, T, past + T) = " + new Shape(b, t, s) + ", got " + attn.getShape());
    }

    NDArray emb = ps.getValue(tokEmbeddings, device, training);
    DataType type = emb.getDataType();
    NDArray x = Embedding.embedding(ids.toType(DataType.INT64, false), emb, SparseFormat.DENSE)
        .singletonOrThrow(); // (B, T, dim)

    ForwardContext ctx = context(m, device, type, b, t, past, attn, positions);
    for (TransformerLayer layer : layers) {
      x = layer.apply(ps, x, ctx, cache, training);
    }
    if (cache != null) {
      cache.advance((int) t);
    }
    return x;
  }

  /**
   * The final norm and the output head, position by position: {@code (..., dim)} hidden states
   * (any subset of {@link #hidden}'s positions, e.g. gathered into {@code (N, dim)}) →
   * {@code (..., V)} float32 logits.
   */
  public NDArray head(ParameterStore ps, NDArray hidden, boolean training) {
    NDArray x = norm.apply(ps, hidden, training);
    NDArray logits = output != null ? output.apply(ps, x, training)
        : ai.djl.nn.core.Linear.linear(x,
            ps.getValue(tokEmbeddings, hidden.getDevice(), training)).singletonOrThrow();
    if (logits.getDataType() != DataType.FLOAT32) {
      logits = logits.toType(DataType.FLOAT32, false);
    }
    return logits;
  }

  /**
   * The final hidden states — after the last RMSNorm, without the output head — of a plain
   * full-sequence pass (no cache): what a sequence-classification head (the reward model's
   * {@code score}) reads, as Hugging Face's {@code LlamaModel} output. Same inputs as
   * {@link #forward}.
   *
   * @return {@code (B, T, dim)} in the weights' data type
   */
  public NDArray normedHidden(ParameterStore ps, NDList inputs, boolean training) {
    return norm.apply(ps, hidden(ps, inputs, training, null), training); // (B, T, dim)
  }

  private ForwardContext context(NDManager m, Device device, DataType type, long b, long t,
      int past, NDArray attn, NDArray positions) {
    long s = past + t;
    NDArray cos;
    NDArray sin;
    int hd = config.headDim();
    if (positions == null) {
      NDArray[] tables = constants.rope(device, type, (int) s);
      // Slices of the cached tables are created in the tables' manager: move them to this
      // forward pass's manager so they are freed with it.
      NDArray c = tables[0].get(past + ":" + s);
      c.attach(m);
      NDArray sn = tables[1].get(past + ":" + s);
      sn.attach(m);
      cos = c.reshape(1, t, 1, hd);
      sin = sn.reshape(1, t, 1, hd);
    } else {
      if (!positions.getShape().equals(new Shape(b, t))) {
        throw new IllegalArgumentException("positions must be (B, T), got " + positions.getShape());
      }
      NDArray pos = positions.toType(DataType.INT64, false);
      int maxPos = (int) pos.max().toType(DataType.INT64, false).getLong() + 1;
      NDArray[] tables = constants.rope(device, type, Math.max(maxPos, 1));
      cos = Embedding.embedding(pos, tables[0], SparseFormat.DENSE).singletonOrThrow()
          .reshape(b, t, 1, hd);
      sin = Embedding.embedding(pos, tables[1], SparseFormat.DENSE).singletonOrThrow()
          .reshape(b, t, 1, hd);
    }
    // causal: query at absolute position past+i sees keys 0..past+i
    NDArray qpos = m.arange(past, (int) s).reshape(t, 1).toDevice(device, false);
    NDArray kpos = m.arange(0, (int) s).reshape(1, s).toDevice(device, false);
    NDArray allowed = kpos.lte(qpos); // (T, S)
    long mb = 1;
    if (attn != null) {
      // (B, S) masks keys for every query; (B, T, S) says per query which keys it may see
      NDArray keep = attn.getShape().dimension() == 3
          ? attn.toType(DataType.BOOLEAN, false)
          : attn.toType(DataType.BOOLEAN, false).reshape(b, 1, s);
      allowed = allowed.expandDims(0).logicalAnd(keep); // (B, T, S)
      mb = b;
    }
    NDArray neg = constants.scalar(device, DataType.FLOAT32, ModelConstants.Kind.MASK_NEG);
    NDArray mask = allowed.logicalNot().toType(DataType.FLOAT32, false).mul(neg)
        .reshape(mb, 1, 1, t, s);
    return new ForwardContext(cos, sin, mask, config.ropeLayout());
  }

  /**
   * Convenience full-sequence logits outside any trainer: {@code (B, T)} → {@code (B, T, V)}.
   */
  public NDArray logits(NDArray inputIds) {
    return forward(new ParameterStore(inputIds.getManager(), false), new NDList(inputIds), false,
        null, false).singletonOrThrow();
  }

  /** Creates an empty KV cache for this model, in a sub-manager of {@code manager}. */
  public KvCache newCache(NDManager manager) {
    return new KvCache(manager, config.nLayers());
  }

  // ---- generation over a preallocated cache (GenerationCache); separate from forward() above

  /**
   * One forward pass of generation over a preallocated {@link GenerationCache}: the new
   * tokens' keys and values are written into the cache in place, attention reads its filled
   * columns, and only the last position's logits are computed. A prompt block ({@code T > 1},
   * the prefill) gets the causal mask with the cache's key padding. Both run in
   * {@link DecodeStep}: weights fused once per cache, one TorchScript call per pass.
   *
   * @param ids {@code (B, T)} int token ids, {@code B} = the cache's current batch
   * @param positions {@code (B, T)} int RoPE positions of the new tokens per row; every
   *     position is below {@code cache.length() + T} (left padding only lowers them)
   * @param cache the cache, advanced by {@code T}
   * @return {@code (B, V)} float32 logits of the last position
   */
  public NDArray forwardCached(NDArray ids, NDArray positions, GenerationCache cache) {
    long b = ids.getShape().get(0);
    long t = ids.getShape().get(1);
    if (b != cache.batch() || !positions.getShape().equals(ids.getShape())) {
      throw new IllegalArgumentException("ids " + ids.getShape() + " and positions "
          + positions.getShape() + " must be (B, T) with B = the cache's " + cache.batch());
    }
    DecodeStep step = cache.decoder(this);
    return t == 1 ? step.forward(ids.toLongArray(), positions.toLongArray(), cache,
        ids.getManager()) : step.prefill(ids, positions, cache);
  }

  /**
   * One token per row from the host, as the generation loop has them: {@link #forwardCached}
   * with {@code T = 1} without making tensors of the ids and positions first.
   *
   * @param ids {@code (B)} token ids, {@code B} = the cache's current batch
   * @param positions {@code (B)} RoPE positions
   * @param cache the cache, advanced by one
   * @param into the manager of the returned logits
   * @return {@code (B, V)} float32 logits
   */
  public NDArray forwardCached(long[] ids, long[] positions, GenerationCache cache,
      NDManager into) {
    if (ids.length != cache.batch() || positions.length != ids.length) {
      throw new IllegalArgumentException(ids.length + " ids and " + positions.length
          + " positions; the cache's batch is " + cache.batch());
    }
    return cache.decoder(this).forward(ids, positions, cache, into);
  }

  /**
   * Greedy decoding's step: {@link #forwardCached(long[], long[], GenerationCache, NDManager)}
   * followed by each row's argmax (the first maximum on ties, as {@code torch.argmax}), inside
   * the same TorchScript call; no tensor reaches Java.
   *
   * @return {@code (B)} the chosen token ids
   */
  public long[] forwardCachedGreedy(long[] ids, long[] positions, GenerationCache cache) {
    if (ids.length != cache.batch() || positions.length != ids.length) {
      throw new IllegalArgumentException(ids.length + " ids and " + positions.length
          + " positions; the cache's batch is " + cache.batch());
    }
    return cache.decoder(this).greedy(ids, positions, cache);
  }

  /** Initialises every weight at random (normal, std {@link #DEFAULT_INIT_STD}; norms to 1). */
  public void initializeRandom(NDManager manager, DataType type) {
    initialize(manager, type, new Shape(1, 1));
  }

  @Override
  public String toString() {
    return "LlamaModel" + config;
  }
}

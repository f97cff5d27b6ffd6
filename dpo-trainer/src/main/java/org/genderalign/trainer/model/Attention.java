package org.genderalign.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Grouped-query causal self-attention with rotary embeddings: projections {@code wq, wk, wv, wo}
 * (llama2.c names). Query heads {@code h} use key/value head {@code h / (nHeads / nKvHeads)}.
 *
 * <p>Performance (djl-notes): Q/K/V are one matmul when no adapter is active, the softmax scale
 * is folded into {@code q}, and attention is computed in query blocks so that no score tensor
 * exceeds {@link #SCORE_BLOCK_BYTES} (glibc unmaps and remaps bigger ones at every step); each
 * block only reads the keys it can see.
 */
public final class Attention extends AbstractBlock {

  /** Upper bound for one block's score tensor. */
  public static final long SCORE_BLOCK_BYTES = 8L << 20;

  /** The bound in use (tests lower it to exercise blocking on small inputs). */
  static volatile long scoreBlockBytes = SCORE_BLOCK_BYTES;

  private final LlamaConfig config;
  private final ModelConstants constants;
  private final Projection wq;
  private final Projection wk;
  private final Projection wv;
  private final Projection wo;

  Attention(String prefix, LlamaConfig config, ModelConstants constants) {
    this.config = config;
    this.constants = constants;
    int d = config.dim();
    this.wq = addChildBlock("wq", new Projection(prefix + ".wq", d, d));
    this.wk = addChildBlock("wk", new Projection(prefix + ".wk", d, config.kvDim()));
    this.wv = addChildBlock("wv", new Projection(prefix + ".wv", d, config.kvDim()));
    this.wo = addChildBlock("wo", new Projection(prefix + ".wo", d, d));
  }

  public Projection wq() {
    return wq;
  }

  public Projection wk() {
    return wk;
  }

  public Projection wv() {
    return wv;
  }

  public Projection wo() {
    return wo;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    throw new UnsupportedOperationException("Attention runs inside LlamaModel.forward");
  }

  /**
   * @param x {@code (B, T, dim)} normalised input
   * @param ctx RoPE tables and mask of this forward pass
   * @param cache the KV cache, or null
   * @param layer this layer's index (for the cache)
   * @return {@code (B, T, dim)}
   */
  NDArray apply(ParameterStore ps, NDArray x, ForwardContext ctx, KvCache cache, int layer,
      boolean training) {
    NDArray[] qkv = project(ps, x, ctx, training);
    NDArray q = qkv[0];
    NDArray k = qkv[1];
    NDArray v = qkv[2];
    if (cache != null) {
      NDArray[] kv = cache.append(layer, k, v);
      k = kv[0]; // (B, KV, S, hd)
      v = kv[1];
    }
    return attend(ps, q, k, v, ctx, training);
  }

  /**
   * Q/K/V of {@code x (B, T, dim)} with RoPE applied and the softmax scale folded into q:
   * {@code [q (B, H, T, hd), k (B, KV, T, hd), v (B, KV, T, hd)]}.
   */
  private NDArray[] project(ParameterStore ps, NDArray x, ForwardContext ctx, boolean training) {
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    int h = config.nHeads();
    int kvh = config.nKvHeads();
    int hd = config.headDim();
    NDArray q;
    NDArray k;
    NDArray v;
    if (wq.hasActiveAdapter() || wk.hasActiveAdapter() || wv.hasActiveAdapter()) {
      q = wq.apply(ps, x, training);
      k = wk.apply(ps, x, training);
      v = wv.apply(ps, x, training);
    } else {
      NDList qkv = fusedQkv(ps, x, training)
          .split(new long[] {config.dim(), config.dim() + config.kvDim()}, 2);
      q = qkv.get(0);
      k = qkv.get(1);
      v = qkv.get(2);
    }
    q = ctx.rope(q.reshape(b, t, h, hd)); // (B, T, H, hd)
    k = ctx.rope(k.reshape(b, t, kvh, hd)); // (B, T, KV, hd)
    v = v.reshape(b, t, kvh, hd);
    NDArray scale = constants.scalar(x.getDevice(), q.getDataType(), ModelConstants.Kind.ATTN_SCALE);
    q = q.mul(scale).transpose(0, 2, 1, 3); // (B, H, T, hd)
    k = k.transpose(0, 2, 1, 3); // (B, KV, T, hd)
    v = v.transpose(0, 2, 1, 3);
    return new NDArray[] {q, k, v};
  }

  /** {@code x·[wq | wk | wv]ᵀ} in one matmul: {@code (B, T, dim + 2·kvDim)} (no adapters). */
  private NDArray fusedQkv(ParameterStore ps, NDArray x, boolean training) {
    NDArray w = NDArrays.concat(new NDList(
        ps.getValue(wq.weight(), x.getDevice(), training),
        ps.getValue(wk.weight(), x.getDevice(), training),
        ps.getValue(wv.weight(), x.getDevice(), training)), 0); // (dim + 2 kvDim, dim)
    // concat puts its result in the first weight's (long-lived) manager; without this the
    // fused copy of every layer's weights leaked each forward pass (RSS grew ~1.4 MB/step).
    w.attach(x.getManager());
    return Linear.linear(x, w).singletonOrThrow();
  }

  /**
   * Causal attention of {@code q (B, H, T, hd)} over {@code k, v (B, KV, S, hd)} (the last
   * {@code T} keys are the queries' own positions) in query blocks, then {@code wo}:
   * {@code (B, T, dim)}.
   */
  private NDArray attend(ParameterStore ps, NDArray q, NDArray k, NDArray v, ForwardContext ctx,
      boolean training) {
    long b = q.getShape().get(0);
    long t = q.getShape().get(2);
    int h = config.nHeads();
    int kvh = config.nKvHeads();
    int hd = config.headDim();
    int rep = config.kvGroups();
    long s = k.getShape().get(2);
    long past = s - t;
    long rowBytes = b * h * s * 4L;
    long blockT = Math.max(1, Math.min(t, scoreBlockBytes / Math.max(1, rowBytes)));
    List<NDArray> outs = new ArrayList<>();
    for (long t0 = 0; t0 < t; t0 += blockT) {
      long t1 = Math.min(t, t0 + blockT);
      long tq = t1 - t0;
      long kEnd = past + t1; // causal: later keys are invisible to this block
      NDArray qb = q.get(":, :, " + t0 + ":" + t1 + ", :").reshape(b, kvh, rep * tq, hd);
      NDArray kb = kEnd == s ? k : k.get(":, :, 0:" + kEnd + ", :"); // (B, KV, kEnd, hd)
      NDArray vb = kEnd == s ? v : v.get(":, :, 0:" + kEnd + ", :");
      NDArray scores = qb.matMul(kb.transpose(0, 1, 3, 2)) // (B, KV, rep*tq, kEnd)
          .reshape(b, kvh, rep, tq, kEnd);
      DataType type = scores.getDataType();
      if (type != DataType.FLOAT32) {
        scores = scores.toType(DataType.FLOAT32, false);
      }
      NDArray mask = ctx.mask().get(":, :, :, " + t0 + ":" + t1 + ", 0:" + kEnd);
      // outside training the scores are a fresh buffer: add the mask in place (one score-sized
      // tensor less per block; the attention-bound small models score ~5% faster)
      NDArray p = (training ? scores.add(mask) : scores.addi(mask)).softmax(-1); // (B, KV, rep, tq, kEnd)
      if (type != DataType.FLOAT32) {
        p = p.toType(type, false);
      }
      outs.add(p.reshape(b, kvh, rep * tq, kEnd).matMul(vb).reshape(b, h, tq, hd));
    }
    NDArray o = outs.size() == 1 ? outs.get(0) : NDArrays.concat(new NDList(outs), 2);
    o = o.transpose(0, 2, 1, 3).reshape(b, t, (long) h * hd); // (B, T, dim)
    return wo.apply(ps, o, training);
  }

  // ---- generation over a preallocated cache (GenerationCache); separate from the paths above

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }

  @Override
  protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType,
      Shape... inputShapes) {
    for (ai.djl.nn.Block c : getChildren().values()) {
      c.initialize(manager, dataType, inputShapes);
    }
  }
}

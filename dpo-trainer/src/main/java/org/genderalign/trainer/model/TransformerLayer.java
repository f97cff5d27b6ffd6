package org.genderalign.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** One pre-norm Llama layer: {@code h = x + attn(norm(x)); out = h + ffn(norm(h))}. */
public final class TransformerLayer extends AbstractBlock {

  private final int index;
  private final RmsNorm attentionNorm;
  private final Attention attention;
  private final RmsNorm ffnNorm;
  private final FeedForward feedForward;

  TransformerLayer(int index, LlamaConfig config, ModelConstants constants) {
    this.index = index;
    String p = "layers." + index;
    this.attentionNorm = addChildBlock("attention_norm",
        new RmsNorm(p + ".attention_norm", config.dim(), constants));
    this.attention = addChildBlock("attention", new Attention(p + ".attention", config, constants));
    this.ffnNorm = addChildBlock("ffn_norm", new RmsNorm(p + ".ffn_norm", config.dim(), constants));
    this.feedForward = addChildBlock("feed_forward", new FeedForward(p + ".feed_forward", config));
  }

  public RmsNorm attentionNorm() {
    return attentionNorm;
  }

  public Attention attention() {
    return attention;
  }

  public RmsNorm ffnNorm() {
    return ffnNorm;
  }

  public FeedForward feedForward() {
    return feedForward;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    throw new UnsupportedOperationException("TransformerLayer runs inside LlamaModel.forward");
  }

  NDArray apply(ParameterStore ps, NDArray x, ForwardContext ctx, KvCache cache,
      boolean training) {
    NDArray h = x.add(attention.apply(ps, attentionNorm.apply(ps, x, training), ctx, cache, index,
        training));
    return h.add(feedForward.apply(ps, ffnNorm.apply(ps, h, training), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (Block c : getChildren().values()) {
      c.initialize(manager, dataType, inputShapes);
    }
  }
}

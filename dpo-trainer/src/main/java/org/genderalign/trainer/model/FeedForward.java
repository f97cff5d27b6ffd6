package org.genderalign.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * SwiGLU MLP {@code w2(silu(w1·x) ⊙ w3·x)} (llama2.c names: w1 = gate, w3 = up, w2 = down). The
 * gate and up matmuls are one when no adapter is active on them.
 */
public final class FeedForward extends AbstractBlock {

  private final Projection w1;
  private final Projection w2;
  private final Projection w3;

  FeedForward(String prefix, LlamaConfig config) {
    this.w1 = addChildBlock("w1", new Projection(prefix + ".w1", config.dim(), config.hiddenDim()));
    this.w2 = addChildBlock("w2", new Projection(prefix + ".w2", config.hiddenDim(), config.dim()));
    this.w3 = addChildBlock("w3", new Projection(prefix + ".w3", config.dim(), config.hiddenDim()));
  }

  public Projection w1() {
    return w1;
  }

  public Projection w2() {
    return w2;
  }

  public Projection w3() {
    return w3;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(apply(ps, inputs.singletonOrThrow(), training));
  }

  /** {@code (B, T, dim)} → {@code (B, T, dim)}. */
  NDArray apply(ParameterStore ps, NDArray x, boolean training) {
    NDArray gate;
    NDArray up;
    if (w1.hasActiveAdapter() || w3.hasActiveAdapter()) {
      gate = w1.apply(ps, x, training);
      up = w3.apply(ps, x, training);
    } else {
      NDArray w = NDArrays.concat(new NDList(
          ps.getValue(w1.weight(), x.getDevice(), training),
          ps.getValue(w3.weight(), x.getDevice(), training)), 0); // (2 hidden, dim)
      w.attach(x.getManager()); // see Attention: keep the fused copy out of the weights' manager
      NDList gu = Linear.linear(x, w).singletonOrThrow().split(2, 2);
      gate = gu.get(0); // (B, T, hidden)
      up = gu.get(1);
    }
    NDArray act = gate.mul(Activation.sigmoid(gate)).mul(up); // silu(gate) * up
    return w2.apply(ps, act, training);
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

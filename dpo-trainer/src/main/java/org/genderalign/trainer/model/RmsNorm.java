package org.genderalign.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * RMSNorm over the last axis: {@code w · x / sqrt(mean(x²) + eps)}, computed in float32 whatever
 * the activation type (as Hugging Face does) and cast back.
 */
public final class RmsNorm extends AbstractBlock {

  private final String name;
  private final long dim;
  private final Parameter weight;
  private final ModelConstants constants;

  RmsNorm(String name, long dim, ModelConstants constants) {
    this.name = name;
    this.dim = dim;
    this.constants = constants;
    this.weight = addParameter(Parameter.builder().setName("weight")
        .setType(Parameter.Type.GAMMA).build());
  }

  /** Full dotted name, e.g. {@code layers.0.attention_norm}. */
  public String name() {
    return name;
  }

  public Parameter weight() {
    return weight;
  }

  @Override
  protected void prepare(Shape[] inputShapes) {
    if (!weight.isInitialized()) {
      weight.setShape(new Shape(dim));
    }
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(apply(ps, inputs.singletonOrThrow(), training));
  }

  /** {@code (..., dim)} → {@code (..., dim)}. */
  public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
    NDArray w = ps.getValue(weight, x.getDevice(), training);
    DataType type = x.getDataType();
    NDArray xf = type == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
    // eps is a long-lived NDArray, never a Number: scalar operands are freed before backward
    // on the PyTorch engine (djl-notes trap 1).
    NDArray eps = constants.scalar(x.getDevice(), DataType.FLOAT32, ModelConstants.Kind.NORM_EPS);
    NDArray ms = xf.square().mean(new int[] {-1}, true); // (..., 1)
    NDArray normed = xf.div(ms.add(eps).sqrt());
    if (type != DataType.FLOAT32) {
      normed = normed.toType(type, false);
    }
    return normed.mul(w.getDataType() == type ? w : w.toType(type, false));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }

  void load(NDArray value) {
    ModelWeights.assign(weight, value, new Shape(dim), name + ".weight");
  }
}

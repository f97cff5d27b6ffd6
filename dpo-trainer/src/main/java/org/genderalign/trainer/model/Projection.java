package org.genderalign.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Objects;

/**
 * One bias-free linear map {@code y = x·Wᵀ} with weight {@code (out, in)} (PyTorch layout), named
 * as in llama2.c ({@code wq}, {@code w1}, …), that can carry one {@link ProjectionAdapter}
 * (LoRA). Every matrix of the Llama blocks is a {@code Projection} so that adapters can be put on
 * any of them by name (see {@link LlamaModel#projections()}).
 */
public final class Projection extends AbstractBlock {

  private final String name;
  private final long in;
  private final long out;
  private final Parameter weight;
  private volatile ProjectionAdapter adapter;

  /**
   * @param name the full dotted name, e.g. {@code layers.3.attention.wq}
   * @param in input width
   * @param out output width
   */
  public Projection(String name, long in, long out) {
    this.name = Objects.requireNonNull(name);
    this.in = in;
    this.out = out;
    this.weight = addParameter(Parameter.builder().setName("weight")
        .setType(Parameter.Type.WEIGHT).build());
  }

  /** Full dotted name, e.g. {@code layers.3.attention.wq}. */
  public String name() {
    return name;
  }

  public long in() {
    return in;
  }

  public long out() {
    return out;
  }

  /** The weight parameter, {@code (out, in)}. */
  public Parameter weight() {
    return weight;
  }

  /** The attached adapter, or null. */
  public ProjectionAdapter adapter() {
    return adapter;
  }

  /** Whether an adapter is attached and enabled (then fused matmuls are not used). */
  public boolean hasActiveAdapter() {
    ProjectionAdapter a = adapter;
    return a != null && a.enabled();
  }

  /**
   * Attaches (or with null, removes) an adapter. If the weight is already initialised the
   * adapter's {@link ProjectionAdapter#initialize} is called with its manager and type.
   */
  public void setAdapter(ProjectionAdapter newAdapter) {
    if (newAdapter != null && weight.isInitialized()) {
      NDArray w = weight.getArray();
      newAdapter.initialize(w.getManager(), w.getDataType(), in, out);
    }
    this.adapter = newAdapter;
  }

  @Override
  protected void prepare(Shape[] inputShapes) {
    if (!weight.isInitialized()) {
      weight.setShape(new Shape(out, in));
    }
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(apply(ps, inputs.singletonOrThrow(), training));
  }

  /** {@code x·Wᵀ} plus the adapter's contribution: {@code (..., in)} → {@code (..., out)}. */
  public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
    NDArray w = ps.getValue(weight, x.getDevice(), training);
    NDArray y = Linear.linear(x, w).singletonOrThrow();
    return applyAdapter(ps, x, y, training);
  }

  /** Applies the adapter (if attached and enabled) to an already computed base output. */
  NDArray applyAdapter(ParameterStore ps, NDArray x, NDArray baseOut, boolean training) {
    ProjectionAdapter a = adapter;
    return a != null && a.enabled() ? a.apply(ps, x, baseOut, training) : baseOut;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {s.slice(0, s.dimension() - 1).add(out)};
  }

  @Override
  public String toString() {
    return "Projection(" + name + ", " + in + " -> " + out + ")";
  }

  /** Sets the weight of an uninitialised projection, or copies into an initialised one. */
  void load(NDArray value) {
    ModelWeights.assign(weight, value, new Shape(out, in), name + ".weight");
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    // leaf block
  }
}

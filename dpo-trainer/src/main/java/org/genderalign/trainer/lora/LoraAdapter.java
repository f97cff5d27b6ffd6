package org.genderalign.trainer.lora;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.genderalign.trainer.model.ProjectionAdapter;

/**
 * One LoRA adapter: {@code y = base(x) + (α/r) · B·A·dropout(x)}, A {@code (r, in)} drawn as
 * PEFT does (Kaiming-uniform, bound 1/√in), B {@code (out, r)} zero, so a fresh adapter leaves
 * the model unchanged. The adapter's weights and arithmetic are float32 even when the base runs
 * in bf16 (they are the master weights the optimizer updates); the result is cast back to the
 * base output's type. The scale is an NDArray owned by the adapter, never a Java number in the
 * graph (djl-notes.md trap 1).
 */
public final class LoraAdapter implements ProjectionAdapter {

  private final String name;
  private final int rank;
  private final double scaling;
  private final float dropout;
  private final Parameter a;
  private final Parameter b;
  private NDArray scale;
  private final Map<Device, NDArray> scaleCopies = new ConcurrentHashMap<>();
  private volatile boolean enabled = true;
  private volatile boolean bypassed;

  public LoraAdapter(String projectionName, int rank, double scaling, double dropout) {
    this.name = projectionName;
    this.rank = rank;
    this.scaling = scaling;
    this.dropout = (float) dropout;
    this.a = Parameter.builder().setName("lora_A").setType(Parameter.Type.WEIGHT).build();
    this.b = Parameter.builder().setName("lora_B").setType(Parameter.Type.WEIGHT).build();
  }

  /** The projection's dotted name. */
  public String name() {
    return name;
  }

  /** A, {@code (r, in)}. */
  public Parameter loraA() {
    return a;
  }

  /** B, {@code (out, r)}. */
  public Parameter loraB() {
    return b;
  }

  @Override
  public void initialize(NDManager manager, DataType dataType, long in, long out) {
    float bound = (float) (1.0 / Math.sqrt(in));
    NDArray aw = manager.randomUniform(-bound, bound, new Shape(rank, in), DataType.FLOAT32);
    NDArray bw = manager.zeros(new Shape(out, rank), DataType.FLOAT32);
    aw.setRequiresGradient(true);
    bw.setRequiresGradient(true);
    a.setArray(aw);
    b.setArray(bw);
    scale = manager.create((float) scaling);
  }

  @Override
  public NDArray apply(ParameterStore weights, NDArray x, NDArray baseOut, boolean training) {
    if (bypassed) {
      return baseOut;
    }
    NDArray xf = x.getDataType() == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
    if (training && dropout > 0) {
      xf = Dropout.dropout(xf, dropout, true).singletonOrThrow();
    }
    NDArray aw = weights.getValue(a, xf.getDevice(), training); // (r, in)
    NDArray bw = weights.getValue(b, xf.getDevice(), training); // (out, r)
    NDArray delta = Linear.linear(Linear.linear(xf, aw).singletonOrThrow(), bw).singletonOrThrow()
        .mul(scaleOn(xf.getDevice())); // (..., out)
    if (delta.getDataType() != baseOut.getDataType()) {
      delta = delta.toType(baseOut.getDataType(), false);
    }
    return baseOut.add(delta);
  }

  /** The scale on {@code device}: one copy per device, kept (a per-call copy would leak into the adapter's manager). */
  private NDArray scaleOn(Device device) {
    if (scale.getDevice().equals(device)) {
      return scale;
    }
    return scaleCopies.computeIfAbsent(device, d -> scale.toDevice(d, true));
  }

  @Override
  public boolean enabled() {
    return enabled;
  }

  @Override
  public void setEnabled(boolean on) {
    this.enabled = on;
  }

  /**
   * Keeps the adapter attached and enabled (so the model takes the same unfused code path as
   * the policy) but adds nothing: the DPO reference pass. With B = 0 the policy's and the
   * reference's log-probs are then bit-identical, so the first loss is exactly ln 2.
   */
  public void setBypassed(boolean on) {
    this.bypassed = on;
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(a, b);
  }

  /** (α/r)·B·A, {@code (out, in)}, float32: what merging adds to the base weight. */
  public NDArray delta() {
    return b.getArray().matMul(a.getArray()).mul(scaling);
  }
}

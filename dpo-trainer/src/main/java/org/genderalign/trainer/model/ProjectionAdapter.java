package org.genderalign.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * Something added to a {@link Projection}'s output, e.g. a LoRA adapter
 * ({@code baseOut + B·A·x · alpha/r}). Implemented by the training code; the model only calls
 * it. An adapter is skipped while {@link #enabled()} is false, which is how the reference model
 * of DPO-with-LoRA is the same network with adapters switched off.
 */
public interface ProjectionAdapter {

  /**
   * The projection's output with the adapter applied.
   *
   * @param weights where to read the adapter's own parameters ({@code x}'s device; a replica's
   *     copies under data parallel)
   * @param x the projection input, {@code (..., in)}
   * @param baseOut the frozen projection's output {@code x·Wᵀ}, {@code (..., out)}
   * @param training whether this is a training forward pass (dropout etc.)
   * @return the adapted output, {@code (..., out)}
   */
  NDArray apply(ParameterStore weights, NDArray x, NDArray baseOut, boolean training);

  /** Whether the adapter takes part in forward passes now. */
  boolean enabled();

  /** Switches the adapter on or off (off = the base model's output exactly). */
  void setEnabled(boolean enabled);

  /** The adapter's own trainable parameters (empty if it has none). */
  default List<Parameter> parameters() {
    return List.of();
  }

  /**
   * Called once when the adapter is attached to an initialised projection, so that it can
   * create its parameters in the model's manager with the projection's shape and type.
   *
   * @param manager the manager of the model's parameters
   * @param dataType the projection weight's data type
   * @param in input width
   * @param out output width
   */
  default void initialize(NDManager manager, DataType dataType, long in, long out) {}
}

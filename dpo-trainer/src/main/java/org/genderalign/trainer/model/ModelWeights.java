package org.genderalign.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

/** Puts a loaded tensor into a parameter, checking its shape. */
final class ModelWeights {

  private ModelWeights() {}

  static void assign(Parameter p, NDArray value, Shape expected, String name) {
    if (!value.getShape().equals(expected)) {
      throw new IllegalArgumentException("weight " + name + " has shape " + value.getShape()
          + ", expected " + expected);
    }
    if (!p.isInitialized()) {
      if (p.getShape() != null) {
        // prepared but not initialised: Parameter allows either a shape or an array, not both
        throw new IllegalStateException("parameter " + name + " has a shape but no array");
      }
      p.setArray(value);
      if (p.requiresGradient()) {
        value.setRequiresGradient(true);
      }
    } else {
      NDArray target = p.getArray();
      target.set(new NDIndex("..."), value.toType(target.getDataType(), false)
          .toDevice(target.getDevice(), false));
    }
  }
}

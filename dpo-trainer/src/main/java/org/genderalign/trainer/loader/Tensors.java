package org.genderalign.trainer.loader;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Turns raw little-endian tensor bytes from a checkpoint file into weights of the model type. */
final class Tensors {

  private Tensors() {}

  /**
   * Copies {@code bytes} (read position to limit) into a new array in {@code manager}, then moves
   * it to the device and type wanted. The source buffer is never aliased (it may be a read-only
   * file mapping, and the optimizer updates weights in place).
   */
  static NDArray load(NDManager manager, ByteBuffer bytes, Shape shape, DataType stored,
      Device device, DataType wanted) {
    long expected = shape.size() * stored.getNumOfBytes();
    if (bytes.remaining() != expected) {
      throw new IllegalArgumentException("tensor of shape " + shape + " and type " + stored
          + " needs " + expected + " bytes, got " + bytes.remaining());
    }
    ByteBuffer copy = ByteBuffer.allocateDirect((int) expected).order(ByteOrder.nativeOrder());
    copy.put(bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN));
    copy.rewind();
    NDArray a = manager.create(copy, shape, stored);
    NDArray out = a;
    if (!device.equals(a.getDevice())) {
      out = out.toDevice(device, false);
    }
    if (out.getDataType() != wanted) {
      out = out.toType(wanted, false);
    }
    if (out != a) {
      a.close();
    }
    return out;
  }
}

package org.genderalign.trainer.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named set of tensors stored byte-exact: {@code GATF1}, count, then per tensor its name,
 * data type, shape and raw little-endian bytes. Simpler than safetensors and enough for state
 * that only this trainer reads back (weights for other tools go through the model checkpoint).
 */
public final class TensorFile {

  private static final String MAGIC = "GATF1";

  private TensorFile() {}

  /** Writes the tensors (in map order) to {@code file}. */
  public static void write(Path file, Map<String, NDArray> tensors) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
      out.writeUTF(MAGIC);
      out.writeInt(tensors.size());
      for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
        NDArray a = e.getValue();
        out.writeUTF(e.getKey());
        out.writeUTF(a.getDataType().name());
        long[] shape = a.getShape().getShape();
        out.writeInt(shape.length);
        for (long d : shape) {
          out.writeLong(d);
        }
        byte[] bytes = toLittleEndian(a);
        out.writeLong(bytes.length);
        out.write(bytes);
      }
    }
  }

  /** Reads every tensor into {@code manager} on {@code device}. */
  public static Map<String, NDArray> read(Path file, NDManager manager, Device device) throws IOException {
    Map<String, NDArray> result = new LinkedHashMap<>();
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      String magic = in.readUTF();
      if (!MAGIC.equals(magic)) {
        throw new IOException(file + ": not a tensor file (magic " + magic + ")");
      }
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        DataType type = DataType.valueOf(in.readUTF());
        int rank = in.readInt();
        long[] shape = new long[rank];
        for (int d = 0; d < rank; d++) {
          shape[d] = in.readLong();
        }
        long len = in.readLong();
        byte[] bytes = new byte[Math.toIntExact(len)];
        in.readFully(bytes);
        ByteBuffer buf = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(bytes).rewind();
        NDArray a = manager.create(buf.order(ByteOrder.nativeOrder()), new Shape(shape), type);
        result.put(name, device == null || device.equals(a.getDevice()) ? a : a.toDevice(device, false));
      }
    }
    return result;
  }

  private static byte[] toLittleEndian(NDArray a) {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new UnsupportedOperationException("big-endian hosts are not supported");
    }
    return a.toDevice(Device.cpu(), false).toByteArray();
  }
}

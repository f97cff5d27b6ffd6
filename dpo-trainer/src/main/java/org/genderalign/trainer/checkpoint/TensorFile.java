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
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genderalign.core.error.InvalidInputException;

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

  /** Most dimensions a stored tensor may have. */
  public static final int MAX_RANK = 16;

  /** One stored tensor's header: where its bytes are. */
  public record Entry(String name, DataType type, Shape shape, long offset, long bytes) {}

  /**
   * The index of {@code file}: every tensor's name, type, shape and byte range, each checked
   * (known type, sane rank, byte count = elements × type size, within the file) before
   * anything is allocated for it.
   *
   * @throws InvalidInputException for a file that is not a complete tensor file
   */
  public static Map<String, Entry> index(Path file) throws IOException {
    long size = Files.size(file);
    Map<String, Entry> out = new LinkedHashMap<>();
    try (CountingInput in = new CountingInput(file)) {
      String magic = readUtf(in, file);
      if (!MAGIC.equals(magic)) {
        throw InvalidInputException.ofFile(file, "not a tensor file (magic " + abbreviate(magic) + ")");
      }
      int n = in.data.readInt();
      // each entry takes at least 2 + 2 + 4 + 8 bytes
      if (n < 0 || n > (size - in.position()) / 16) {
        throw InvalidInputException.ofFile(file, "tensor count " + n + " cannot fit in the file");
      }
      for (int i = 0; i < n; i++) {
        String name = readUtf(in, file);
        String typeName = readUtf(in, file);
        DataType type;
        try {
          type = DataType.valueOf(typeName);
        } catch (IllegalArgumentException e) {
          throw InvalidInputException.ofFile(file, "tensor " + name + ": unknown data type " + abbreviate(typeName));
        }
        if (type.getNumOfBytes() <= 0 || !(type.isFloating() || type.isInteger() || type.isBoolean())) {
          throw InvalidInputException.ofFile(file, "tensor " + name + ": data type " + type + " is not numeric");
        }
        int rank = in.data.readInt();
        if (rank < 0 || rank > MAX_RANK) {
          throw InvalidInputException.ofFile(file, "tensor " + name + ": rank " + rank
              + " (expected 0 to " + MAX_RANK + ")");
        }
        long[] shape = new long[rank];
        long elements = 1;
        for (int d = 0; d < rank; d++) {
          shape[d] = in.data.readLong();
          if (shape[d] < 0) {
            throw InvalidInputException.ofFile(file, "tensor " + name + ": negative dimension " + shape[d]);
          }
          elements = multiply(file, name, elements, shape[d]);
        }
        long len = in.data.readLong();
        long expected = multiply(file, name, elements, type.getNumOfBytes());
        if (len != expected || len > size - in.position() || len > Integer.MAX_VALUE - 16) {
          throw InvalidInputException.ofFile(file, "tensor " + name + ": " + len + " bytes, but its shape "
              + java.util.Arrays.toString(shape) + " and type " + type + " need " + expected
              + " and the file has " + (size - in.position()) + " left");
        }
        if (out.put(name, new Entry(name, type, new Shape(shape), in.position(), len)) != null) {
          throw InvalidInputException.ofFile(file, "tensor " + name + " is stored twice");
        }
        in.data.skipNBytes(len);
      }
      if (in.position() != size) {
        throw InvalidInputException.ofFile(file, (size - in.position()) + " unexpected bytes after the last tensor");
      }
    } catch (EOFException e) {
      throw InvalidInputException.ofFile(file, "tensor file is truncated");
    }
    return out;
  }

  /** Reads every tensor into {@code manager} on {@code device}, after checking the whole file. */
  public static Map<String, NDArray> read(Path file, NDManager manager, Device device) throws IOException {
    Map<String, Entry> index = index(file);
    Map<String, NDArray> result = new LinkedHashMap<>();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      for (Entry e : index.values()) {
        ByteBuffer buf = ByteBuffer.allocateDirect((int) e.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
          if (ch.read(buf, e.offset() + buf.position()) < 0) {
            throw InvalidInputException.ofFile(file, "tensor file is truncated");
          }
        }
        buf.rewind();
        NDArray a = manager.create(buf.order(ByteOrder.nativeOrder()), e.shape(), e.type());
        result.put(e.name(), device == null || device.equals(a.getDevice()) ? a : a.toDevice(device, false));
      }
    }
    return result;
  }

  private static String readUtf(CountingInput in, Path file) throws IOException {
    try {
      return in.data.readUTF();
    } catch (UTFDataFormatException e) {
      throw InvalidInputException.ofFile(file, "tensor file has a malformed name");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? "'" + s + "'" : "'" + s.substring(0, 40) + "…'";
  }

  private static long multiply(Path file, String name, long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw InvalidInputException.ofFile(file, "tensor " + name + ": its size overflows");
    }
  }

  /** A data stream that knows its position in the file. */
  private static final class CountingInput implements AutoCloseable {
    private final CountingStream counter;
    final DataInputStream data;

    CountingInput(Path file) throws IOException {
      counter = new CountingStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
      data = new DataInputStream(counter);
    }

    long position() {
      return counter.count;
    }

    @Override
    public void close() throws IOException {
      data.close();
    }
  }

  private static final class CountingStream extends java.io.FilterInputStream {
    long count;

    CountingStream(java.io.InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long k = super.skip(n);
      count += k;
      return k;
    }
  }

  private static byte[] toLittleEndian(NDArray a) {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new UnsupportedOperationException("big-endian hosts are not supported");
    }
    return a.toDevice(Device.cpu(), false).toByteArray();
  }
}

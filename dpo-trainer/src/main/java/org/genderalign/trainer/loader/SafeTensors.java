package org.genderalign.trainer.loader;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.io.AtomicFiles;

/**
 * Reads and writes the safetensors format (an 8-byte little-endian header length, a JSON header
 * of {@code name → {dtype, shape, data_offsets}} plus optional {@code __metadata__}, then raw
 * little-endian data). Reads F32, F16 and BF16 tensors; each file is memory-mapped and every
 * tensor copied out (never aliased), one at a time.
 */
public final class SafeTensors {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SafeTensors() {}

  /** One tensor's entry in a header. */
  public record Entry(String name, DataType type, Shape shape, long begin, long end) {}

  /** Longest header read (the format's own readers refuse more than 100 MB as well). */
  public static final long MAX_HEADER_BYTES = 100_000_000;
  /** Most dimensions a tensor may have. */
  public static final int MAX_RANK = 8;

  /** The header of {@code file}: its tensors in file order. */
  public static Map<String, Entry> header(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return entries(file, ch, headerJson(file, ch));
    }
  }

  /**
   * The JSON header, read only after its length has been checked against the file and
   * {@link #MAX_HEADER_BYTES} (a hostile length field must not allocate terabytes).
   */
  private static ObjectNode headerJson(Path file, FileChannel ch) throws IOException {
    ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    if (readFully(ch, lenBuf, 0) != 8) {
      throw InvalidInputException.ofFile(file, "not a safetensors file (shorter than 8 bytes)");
    }
    long len = lenBuf.getLong(0);
    long size = ch.size();
    if (len < 2 || len > MAX_HEADER_BYTES || len > size - 8) {
      throw InvalidInputException.ofFile(file, "not a safetensors file: header length " + len
          + " must be in [2, " + Math.min(MAX_HEADER_BYTES, size - 8) + "] (file of " + size + " bytes)");
    }
    ByteBuffer hb = ByteBuffer.allocate((int) len);
    if (readFully(ch, hb, 8) != len) {
      throw InvalidInputException.ofFile(file, "safetensors header is truncated");
    }
    JsonNode root;
    try {
      root = JSON.readTree(hb.array());
    } catch (IOException e) {
      throw InvalidInputException.ofFile(file, "safetensors header is not valid JSON ("
          + firstLine(e.getMessage()) + ")");
    }
    if (root == null || !root.isObject()) {
      throw InvalidInputException.ofFile(file, "safetensors header: expected a JSON object of "
          + "name -> {dtype, shape, data_offsets}");
    }
    return (ObjectNode) root;
  }

  private static int readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    int total = 0;
    while (b.hasRemaining()) {
      int n = ch.read(b, at + total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static Map<String, Entry> entries(Path file, FileChannel ch, ObjectNode root) throws IOException {
    long dataStart = 8 + headerLength(ch);
    long dataLen = ch.size() - dataStart;
    Map<String, Entry> out = new LinkedHashMap<>();
    for (var it = root.fields(); it.hasNext(); ) {
      var e = it.next();
      String name = e.getKey();
      if (name.equals("__metadata__")) {
        if (!e.getValue().isObject()) {
          throw InvalidInputException.ofFile(file, "safetensors __metadata__: expected an object of strings");
        }
        continue;
      }
      JsonNode n = e.getValue();
      if (!n.isObject()) {
        throw InvalidInputException.ofFile(file, "tensor " + name + ": expected {dtype, shape, data_offsets}");
      }
      String dtype = n.path("dtype").isTextual() ? n.path("dtype").textValue() : String.valueOf(n.get("dtype"));
      DataType type = switch (dtype) {
        case "F32" -> DataType.FLOAT32;
        case "F16" -> DataType.FLOAT16;
        case "BF16" -> DataType.BFLOAT16;
        default -> throw InvalidInputException.ofFile(file, "tensor " + name
            + ": dtype " + dtype + " is not supported (F32, F16, BF16)");
      };
      JsonNode shapeNode = n.path("shape");
      if (!shapeNode.isArray() || shapeNode.size() > MAX_RANK) {
        throw InvalidInputException.ofFile(file, "tensor " + name + ": shape must be a list of at most "
            + MAX_RANK + " sizes");
      }
      long[] dims = new long[shapeNode.size()];
      long elements = 1;
      for (int i = 0; i < dims.length; i++) {
        JsonNode d = shapeNode.get(i);
        if (!d.canConvertToLong() || !d.isIntegralNumber() || d.longValue() < 0) {
          throw InvalidInputException.ofFile(file, "tensor " + name + ": shape entry " + d
              + " is not a size (a non-negative integer)");
        }
        dims[i] = d.longValue();
        elements = multiply(file, name, elements, dims[i]);
      }
      JsonNode offsets = n.path("data_offsets");
      if (!offsets.isArray() || offsets.size() != 2 || !offsets.get(0).canConvertToLong()
          || !offsets.get(1).canConvertToLong() || !offsets.get(0).isIntegralNumber()
          || !offsets.get(1).isIntegralNumber()) {
        throw InvalidInputException.ofFile(file, "tensor " + name + ": data_offsets must be [begin, end]");
      }
      long b = offsets.get(0).longValue();
      long en = offsets.get(1).longValue();
      long bytes = multiply(file, name, elements, type.getNumOfBytes());
      if (b < 0 || en < b || en > dataLen || en - b != bytes) {
        throw InvalidInputException.ofFile(file, "tensor " + name + ": data_offsets [" + b + ", " + en
            + "] do not fit its shape " + java.util.Arrays.toString(dims) + " (" + bytes + " bytes) or the "
            + dataLen + " data bytes of the file");
      }
      out.put(name, new Entry(name, type, new Shape(dims), dataStart + b, dataStart + en));
    }
    return out;
  }

  private static long headerLength(FileChannel ch) throws IOException {
    ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, lenBuf, 0);
    return lenBuf.getLong(0);
  }

  private static long multiply(Path file, String name, long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw InvalidInputException.ofFile(file, "tensor " + name + ": its size overflows (shape too large)");
    }
  }

  /** The {@code __metadata__} map of {@code file} (empty if none). */
  public static Map<String, String> metadata(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      JsonNode meta = headerJson(file, ch).path("__metadata__");
      Map<String, String> m = new LinkedHashMap<>();
      meta.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
      return m;
    }
  }

  /**
   * Reads the tensors of {@code file} whose names {@code rename} maps to a non-null name.
   *
   * @param rename file name → wanted name, or null to skip the tensor
   */
  public static Map<String, NDArray> read(Path file, Function<String, String> rename,
      NDManager manager, Device device, DataType type) throws IOException {
    Map<String, NDArray> out = new LinkedHashMap<>();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      for (Entry e : entries(file, ch, headerJson(file, ch)).values()) {
        String name = rename.apply(e.name());
        if (name == null) {
          continue;
        }
        ByteBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, e.begin(), e.end() - e.begin());
        out.put(name, Tensors.load(manager, data, e.shape(), e.type(), device, type));
      }
    }
    return out;
  }

  /** Writes {@code tensors} (in map order) with {@code metadata} to {@code file}, atomically. */
  public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (metadata != null && !metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    List<NDArray> order = new ArrayList<>();
    for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
      NDArray a = e.getValue();
      String dtype = switch (a.getDataType()) {
        case FLOAT32 -> "F32";
        case FLOAT16 -> "F16";
        case BFLOAT16 -> "BF16";
        default -> throw new IllegalArgumentException("cannot write " + a.getDataType());
      };
      ObjectNode n = header.putObject(e.getKey());
      n.put("dtype", dtype);
      ArrayNode shape = n.putArray("shape");
      for (long d : a.getShape().getShape()) {
        shape.add(d);
      }
      long size = a.getShape().size() * a.getDataType().getNumOfBytes();
      n.putArray("data_offsets").add(offset).add(offset + size);
      offset += size;
      order.add(a);
    }
    byte[] h = JSON.writeValueAsBytes(header);
    int pad = (8 - h.length % 8) % 8;
    byte[] padded = new byte[h.length + pad];
    System.arraycopy(h, 0, padded, 0, h.length);
    for (int i = h.length; i < padded.length; i++) {
      padded[i] = ' ';
    }
    AtomicFiles.write(file, tmp -> {
      try (OutputStream os = Files.newOutputStream(tmp)) {
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        len.putLong(padded.length);
        os.write(len.array());
        os.write(padded);
        for (NDArray a : order) {
          NDArray cpu = a.getDevice().equals(Device.cpu()) ? a : a.toDevice(Device.cpu(), true);
          ByteBuffer bb = cpu.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
          byte[] buf = new byte[1 << 20];
          while (bb.hasRemaining()) {
            int n = Math.min(buf.length, bb.remaining());
            bb.get(buf, 0, n);
            os.write(buf, 0, n);
          }
          if (cpu != a) {
            cpu.close();
          }
        }
      }
    });
  }
}

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

  /** The header of {@code file}: its tensors in file order. */
  public static Map<String, Entry> header(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return header(file, ch);
    }
  }

  private static Map<String, Entry> header(Path file, FileChannel ch) throws IOException {
    ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    if (ch.read(lenBuf, 0) != 8) {
      throw InvalidInputException.ofFile(file, "not a safetensors file (shorter than 8 bytes)");
    }
    long len = lenBuf.getLong(0);
    if (len <= 0 || len > 100_000_000 || 8 + len > ch.size()) {
      throw InvalidInputException.ofFile(file, "not a safetensors file (header length " + len + ")");
    }
    ByteBuffer hb = ByteBuffer.allocate((int) len);
    ch.read(hb, 8);
    JsonNode root;
    try {
      root = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw InvalidInputException.ofFile(file, "safetensors header is not valid JSON");
    }
    long dataStart = 8 + len;
    long dataLen = ch.size() - dataStart;
    Map<String, Entry> out = new LinkedHashMap<>();
    for (var it = root.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().equals("__metadata__")) {
        continue;
      }
      JsonNode n = e.getValue();
      DataType type = switch (n.path("dtype").asText()) {
        case "F32" -> DataType.FLOAT32;
        case "F16" -> DataType.FLOAT16;
        case "BF16" -> DataType.BFLOAT16;
        default -> throw InvalidInputException.ofFile(file, "tensor " + e.getKey()
            + ": dtype " + n.path("dtype").asText() + " is not supported (F32, F16, BF16)");
      };
      long[] dims = new long[n.path("shape").size()];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = n.path("shape").get(i).asLong();
      }
      Shape shape = new Shape(dims);
      long b = n.path("data_offsets").path(0).asLong();
      long en = n.path("data_offsets").path(1).asLong();
      if (b < 0 || en > dataLen || en - b != shape.size() * type.getNumOfBytes()) {
        throw InvalidInputException.ofFile(file, "tensor " + e.getKey()
            + ": data_offsets [" + b + ", " + en + "] do not fit its shape " + shape + " or the file");
      }
      out.put(e.getKey(), new Entry(e.getKey(), type, shape, dataStart + b, dataStart + en));
    }
    return out;
  }

  /** The {@code __metadata__} map of {@code file} (empty if none). */
  public static Map<String, String> metadata(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(lenBuf, 0);
      long len = lenBuf.getLong(0);
      ByteBuffer hb = ByteBuffer.allocate((int) len);
      ch.read(hb, 8);
      JsonNode meta = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8))
          .path("__metadata__");
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
      for (Entry e : header(file, ch).values()) {
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

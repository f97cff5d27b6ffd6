package org.genderalign.trainer.loader;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.io.Hashing;
import org.genderalign.trainer.model.LlamaConfig;
import org.genderalign.trainer.model.RopeLayout;
import org.genderalign.trainer.tokenizer.Llama2cTokenizer;

/**
 * GGUF files (versions 2 and 3) of architecture {@code llama}: the config from the
 * {@code llama.*} metadata, the SentencePiece vocabulary from {@code tokenizer.ggml.*}, and F32,
 * F16 or BF16 tensors (quantised types are rejected with a clear error). GGUF dimensions are
 * innermost-first, so a tensor's shape is its dims reversed; llama.cpp's "normal" RoPE is
 * {@link RopeLayout#INTERLEAVED}.
 *
 * <p>Every count and length in the header is checked against the bytes left in the file and a
 * sane limit before anything is allocated, and the tensors are checked against the config
 * ({@link #inspect}) before any weight is read: a hostile file gets an
 * {@link InvalidInputException}, never an OutOfMemoryError.
 */
final class GgufLoader {

  private static final int GGML_F32 = 0;
  private static final int GGML_F16 = 1;
  private static final int GGML_BF16 = 30;
  /** GGML_MAX_DIMS. */
  static final int MAX_DIMS = 4;
  /** Longest metadata string or tensor name (chat templates are tens of KB). */
  static final int MAX_STRING = 16 << 20;
  /** Longest metadata array (vocabularies are ≤ 256K). */
  static final int MAX_ARRAY = 16 << 20;
  /** Arrays of arrays are allowed, to this depth. */
  static final int MAX_ARRAY_DEPTH = 3;

  private GgufLoader() {}

  /** The parsed header of a GGUF file. */
  record Header(Map<String, Object> metadata, Map<String, TensorInfo> tensors, long dataStart) {}

  /** One tensor's entry. */
  record TensorInfo(String name, Shape shape, int ggmlType, long offset) {}

  /** One tensor to read: where, as what, under which llama2.c name. */
  record Slice(String name, Shape shape, DataType stored, long start, long bytes) {}

  /** Everything a load needs, checked, before any weight is read. */
  record Plan(LlamaConfig config, Llama2cTokenizer tokenizer, List<Slice> slices) {}

  /** Reads the header; every count, length and offset is checked against the file first. */
  static Header readHeader(Path file, FileChannel ch) throws IOException {
    long size = ch.size();
    long mapLen = Math.min(size, Integer.MAX_VALUE);
    ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, mapLen).order(ByteOrder.LITTLE_ENDIAN);
    Cursor c = new Cursor(b, file);
    try {
      byte[] magic = new byte[4];
      b.get(magic);
      if (!"GGUF".equals(new String(magic, StandardCharsets.US_ASCII))) {
        throw InvalidInputException.ofFile(file, "not a GGUF file (magic bytes)");
      }
      int version = b.getInt();
      if (version < 2 || version > 3) {
        throw InvalidInputException.ofFile(file, "GGUF version " + version
            + " is not supported (2 or 3)");
      }
      long nTensors = c.count(b.getLong(), 8 + 4 + 8 + 4 + 8, "tensor count");
      long nKv = c.count(b.getLong(), 8 + 4 + 1, "metadata count");
      Map<String, Object> meta = new LinkedHashMap<>();
      for (long i = 0; i < nKv; i++) {
        String key = c.string("metadata key");
        meta.put(key, c.value(b.getInt(), key, 0));
      }
      Map<String, TensorInfo> tensors = new LinkedHashMap<>();
      for (long i = 0; i < nTensors; i++) {
        String name = c.string("tensor name");
        int nDims = b.getInt();
        if (nDims < 1 || nDims > MAX_DIMS) {
          throw InvalidInputException.ofFile(file, "tensor " + name + ": " + nDims
              + " dimensions (expected 1 to " + MAX_DIMS + ")");
        }
        long[] dims = new long[nDims];
        long elements = 1;
        for (int d = 0; d < nDims; d++) {
          long v = b.getLong();
          if (v < 1) {
            throw InvalidInputException.ofFile(file, "tensor " + name + ": dimension " + v
                + " (expected a positive size)");
          }
          dims[nDims - 1 - d] = v; // innermost first in the file
          elements = multiply(file, name, elements, v);
        }
        int type = b.getInt();
        long offset = b.getLong();
        if (offset < 0) {
          throw InvalidInputException.ofFile(file, "tensor " + name + ": negative data offset " + offset);
        }
        if (tensors.put(name, new TensorInfo(name, new Shape(dims), type, offset)) != null) {
          throw InvalidInputException.ofFile(file, "tensor " + name + " is listed twice");
        }
      }
      long align = 32;
      Object a = meta.get("general.alignment");
      if (a != null) {
        if (!(a instanceof Number n) || n.longValue() < 1 || n.longValue() > (1 << 20)
            || Long.bitCount(n.longValue()) != 1) {
          throw InvalidInputException.ofFile(file, "metadata general.alignment: " + a
              + " (expected a power of two up to 2^20)");
        }
        align = n.longValue();
      }
      long pos = b.position();
      long dataStart = (pos + align - 1) / align * align;
      if (dataStart > size) {
        throw InvalidInputException.ofFile(file, "GGUF header is truncated (no tensor data)");
      }
      return new Header(meta, tensors, dataStart);
    } catch (BufferUnderflowException e) {
      throw InvalidInputException.ofFile(file, "GGUF header is truncated");
    }
  }

  private static long multiply(Path file, String name, long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw InvalidInputException.ofFile(file, "tensor " + name + ": its size overflows");
    }
  }

  /** Reads header values, checking every length against the bytes left before allocating. */
  private static final class Cursor {
    private final ByteBuffer b;
    private final Path file;

    Cursor(ByteBuffer b, Path file) {
      this.b = b;
      this.file = file;
    }

    /** A count of items of at least {@code minBytes} each: it must fit in what is left. */
    long count(long n, int minBytes, String what) {
      if (n < 0 || n > b.remaining() / minBytes) {
        throw InvalidInputException.ofFile(file, what + " " + Long.toUnsignedString(n)
            + " cannot fit in the " + b.remaining() + " bytes left of the file");
      }
      return n;
    }

    String string(String what) {
      long len = b.getLong();
      if (len < 0 || len > b.remaining() || len > MAX_STRING) {
        throw InvalidInputException.ofFile(file, what + ": string length " + Long.toUnsignedString(len)
            + " (expected at most " + Math.min(b.remaining(), MAX_STRING) + ")");
      }
      byte[] s = new byte[(int) len];
      b.get(s);
      try {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(s)).toString();
      } catch (CharacterCodingException e) {
        throw InvalidInputException.ofFile(file, what + ": not valid UTF-8");
      }
    }

    Object value(int type, String key, int depth) {
      switch (type) {
        case 0:
          return b.get() & 0xFF;
        case 1:
          return (int) b.get();
        case 2:
          return b.getShort() & 0xFFFF;
        case 3:
          return (int) b.getShort();
        case 4:
          return b.getInt() & 0xFFFFFFFFL;
        case 5:
          return b.getInt();
        case 6:
          return b.getFloat();
        case 7:
          return b.get() != 0;
        case 8:
          return string("metadata " + key);
        case 9: {
          if (depth >= MAX_ARRAY_DEPTH) {
            throw InvalidInputException.ofFile(file, "metadata " + key + ": arrays nested deeper than "
                + MAX_ARRAY_DEPTH);
          }
          int itemType = b.getInt();
          int itemBytes = switch (itemType) {
            case 0, 1, 7 -> 1;
            case 2, 3 -> 2;
            case 4, 5, 6 -> 4;
            case 8, 10, 11, 12 -> 8;
            case 9 -> 12;
            default -> throw InvalidInputException.ofFile(file, "metadata " + key
                + ": unknown array item type " + itemType);
          };
          long n = count(b.getLong(), itemBytes, "metadata " + key + ": array length");
          if (n > MAX_ARRAY) {
            throw InvalidInputException.ofFile(file, "metadata " + key + ": array of " + n
                + " items (at most " + MAX_ARRAY + ")");
          }
          List<Object> items = new ArrayList<>((int) n);
          for (long i = 0; i < n; i++) {
            items.add(value(itemType, key, depth + 1));
          }
          return items;
        }
        case 10:
          return b.getLong();
        case 11:
          return b.getLong();
        case 12:
          return b.getDouble();
        default:
          throw InvalidInputException.ofFile(file, "metadata " + key + ": unknown value type "
              + type);
      }
    }
  }

  private static int intMeta(Path file, Map<String, Object> m, String key, Integer def) {
    Object v = m.get(key);
    if (v == null) {
      if (def != null) {
        return def;
      }
      throw InvalidInputException.ofFile(file, "metadata " + key + ": missing");
    }
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() > Integer.MAX_VALUE
        || ((Number) v).longValue() < Integer.MIN_VALUE) {
      throw InvalidInputException.ofFile(file, "metadata " + key + ": " + v
          + " (expected an integer of 32 bits)");
    }
    return ((Number) v).intValue();
  }

  private static double doubleMeta(Path file, Map<String, Object> m, String key, double def) {
    Object v = m.get(key);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Number n)) {
      throw InvalidInputException.ofFile(file, "metadata " + key + ": " + v + " (expected a number)");
    }
    return n.doubleValue();
  }

  /**
   * The whole file checked and planned — header, config, tokenizer, every tensor's name, type,
   * shape and extent — without reading a weight or building the model.
   */
  static Plan inspect(Path file, FileChannel ch) throws IOException {
    Header h = readHeader(file, ch);
    Map<String, Object> m = h.metadata();
    String arch = String.valueOf(m.get("general.architecture"));
    if (!"llama".equals(arch)) {
      throw InvalidInputException.ofFile(file, "metadata general.architecture: '" + arch
          + "' is not supported (llama only)");
    }
    TensorInfo emb = h.tensors().get("token_embd.weight");
    if (emb == null) {
      throw InvalidInputException.ofFile(file, "tensor token_embd.weight: missing");
    }
    if (emb.shape().dimension() != 2 || emb.shape().get(0) > Integer.MAX_VALUE) {
      throw InvalidInputException.ofFile(file, "tensor token_embd.weight: shape " + emb.shape()
          + " (expected (vocab, dim))");
    }
    int dim = intMeta(file, m, "llama.embedding_length", null);
    int heads = intMeta(file, m, "llama.attention.head_count", null);
    LlamaConfig config;
    try {
      config = new LlamaConfig(dim, intMeta(file, m, "llama.feed_forward_length", null),
          intMeta(file, m, "llama.block_count", null), heads,
          intMeta(file, m, "llama.attention.head_count_kv", heads),
          (int) emb.shape().get(0), intMeta(file, m, "llama.context_length", 2048),
          doubleMeta(file, m, "llama.rope.freq_base", LlamaConfig.DEFAULT_ROPE_THETA),
          doubleMeta(file, m, "llama.attention.layer_norm_rms_epsilon", LlamaConfig.DEFAULT_NORM_EPS),
          !h.tensors().containsKey("output.weight"), RopeLayout.INTERLEAVED);
    } catch (IllegalArgumentException e) {
      throw InvalidInputException.ofFile(file, "invalid model config: " + e.getMessage());
    }
    Llama2cTokenizer tok = tokenizer(file, m, config.vocabSize());
    Map<String, Shape> declared = new LinkedHashMap<>();
    List<Slice> slices = new ArrayList<>();
    long size = ch.size();
    for (TensorInfo t : h.tensors().values()) {
      String name = rename(file, t.name());
      DataType stored = switch (t.ggmlType()) {
        case GGML_F32 -> DataType.FLOAT32;
        case GGML_F16 -> DataType.FLOAT16;
        case GGML_BF16 -> DataType.BFLOAT16;
        default -> throw InvalidInputException.ofFile(file, "tensor " + t.name()
            + ": ggml type " + t.ggmlType() + " (quantised) is not supported; F32, F16, BF16 only");
      };
      long bytes = multiply(file, t.name(), t.shape().size(), stored.getNumOfBytes());
      long start = h.dataStart() + t.offset();
      if (start < h.dataStart() || bytes > size - start) {
        throw InvalidInputException.ofFile(file, "tensor " + t.name() + " lies past the end of the file");
      }
      if (declared.put(name, t.shape()) != null) {
        throw InvalidInputException.ofFile(file, "tensor " + t.name() + " is given twice");
      }
      slices.add(new Slice(name, t.shape(), stored, start, bytes));
    }
    WeightCheck.check(file, config, declared);
    return new Plan(config, tok, slices);
  }

  static LoadedModel load(Path file, String location, Device device, DataType type)
      throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      Plan plan = inspect(file, ch);
      Model model = Model.newInstance("llama", device);
      try {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        for (Slice s : plan.slices()) {
          ByteBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, s.start(), s.bytes());
          weights.put(s.name(), Tensors.load(model.getNDManager(), data, s.shape(), s.stored(), device,
              type));
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put(file.getFileName().toString(), Hashing.sha256(file));
        try {
          return ModelLoader.assemble(plan.config(), model, weights, plan.tokenizer(),
              new ModelSource("gguf", location, files));
        } catch (IllegalArgumentException e) {
          throw InvalidInputException.ofFile(file, e.getMessage());
        }
      } catch (RuntimeException | IOException e) {
        model.close();
        throw e;
      }
    }
  }

  private static Llama2cTokenizer tokenizer(Path file, Map<String, Object> m, int vocab) {
    Object model = m.get("tokenizer.ggml.model");
    if (!"llama".equals(model)) {
      throw InvalidInputException.ofFile(file, "metadata tokenizer.ggml.model: '" + model
          + "' is not supported (SentencePiece 'llama' vocabularies only)");
    }
    if (!(m.get("tokenizer.ggml.tokens") instanceof List<?> tokens) || tokens.isEmpty()) {
      throw InvalidInputException.ofFile(file, "metadata tokenizer.ggml.tokens: missing");
    }
    if (tokens.size() > vocab) {
      throw InvalidInputException.ofFile(file, "metadata tokenizer.ggml.tokens: " + tokens.size()
          + " pieces, but the embedding has only " + vocab + " rows");
    }
    List<String> pieces = new ArrayList<>(tokens.size());
    for (Object t : tokens) {
      if (!(t instanceof String s)) {
        throw InvalidInputException.ofFile(file, "metadata tokenizer.ggml.tokens: expected strings, got " + t);
      }
      pieces.add(s);
    }
    float[] scores = new float[pieces.size()];
    Object sc = m.get("tokenizer.ggml.scores");
    if (sc != null) {
      if (!(sc instanceof List<?> s) || s.size() != scores.length) {
        throw InvalidInputException.ofFile(file, "metadata tokenizer.ggml.scores: expected one number per token");
      }
      for (int i = 0; i < scores.length; i++) {
        if (!(s.get(i) instanceof Number n)) {
          throw InvalidInputException.ofFile(file, "metadata tokenizer.ggml.scores: item " + i
              + " is not a number");
        }
        scores[i] = n.floatValue();
      }
    }
    int bos = intMeta(file, m, "tokenizer.ggml.bos_token_id", 1);
    int eos = intMeta(file, m, "tokenizer.ggml.eos_token_id", 2);
    for (int id : new int[] {bos, eos}) {
      if (id < -1 || id >= pieces.size()) {
        throw InvalidInputException.ofFile(file, "metadata tokenizer.ggml.bos/eos_token_id: " + id
            + " is outside the vocabulary of " + pieces.size());
      }
    }
    return Llama2cTokenizer.fromSentencePiece(pieces, scores, bos, eos,
        "gguf(" + file.getFileName() + ")");
  }

  private static String rename(Path file, String name) {
    switch (name) {
      case "token_embd.weight":
        return "tok_embeddings.weight";
      case "output_norm.weight":
        return "norm.weight";
      case "output.weight":
        return "output.weight";
      default:
        break;
    }
    int dot = name.startsWith("blk.") ? name.indexOf('.', 4) : -1;
    if (dot > 4) {
      String layer = name.substring(4, dot);
      String rest = switch (name.substring(dot + 1)) {
        case "attn_norm.weight" -> "attention_norm.weight";
        case "attn_q.weight" -> "attention.wq.weight";
        case "attn_k.weight" -> "attention.wk.weight";
        case "attn_v.weight" -> "attention.wv.weight";
        case "attn_output.weight" -> "attention.wo.weight";
        case "ffn_norm.weight" -> "ffn_norm.weight";
        case "ffn_gate.weight" -> "feed_forward.w1.weight";
        case "ffn_down.weight" -> "feed_forward.w2.weight";
        case "ffn_up.weight" -> "feed_forward.w3.weight";
        default -> null;
      };
      if (rest != null && layer.matches("0|[1-9][0-9]{0,8}")) {
        return "layers." + layer + "." + rest;
      }
    }
    throw InvalidInputException.ofFile(file, "tensor " + name + " is not part of a llama model");
  }
}

package org.genderalign.trainer.loader;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
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
 */
final class GgufLoader {

  private static final int GGML_F32 = 0;
  private static final int GGML_F16 = 1;
  private static final int GGML_BF16 = 30;

  private GgufLoader() {}

  /** The parsed header of a GGUF file. */
  record Header(Map<String, Object> metadata, Map<String, TensorInfo> tensors, long dataStart) {}

  /** One tensor's entry. */
  record TensorInfo(String name, Shape shape, int ggmlType, long offset) {}

  static Header readHeader(Path file, FileChannel ch) throws IOException {
    long mapLen = Math.min(ch.size(), Integer.MAX_VALUE);
    ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, mapLen).order(ByteOrder.LITTLE_ENDIAN);
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
      long nTensors = b.getLong();
      long nKv = b.getLong();
      Map<String, Object> meta = new LinkedHashMap<>();
      for (long i = 0; i < nKv; i++) {
        String key = string(b);
        meta.put(key, value(b, b.getInt(), file, key));
      }
      Map<String, TensorInfo> tensors = new LinkedHashMap<>();
      for (long i = 0; i < nTensors; i++) {
        String name = string(b);
        int nDims = b.getInt();
        long[] dims = new long[nDims];
        for (int d = 0; d < nDims; d++) {
          dims[nDims - 1 - d] = b.getLong(); // innermost first in the file
        }
        tensors.put(name, new TensorInfo(name, new Shape(dims), b.getInt(), b.getLong()));
      }
      long align = meta.get("general.alignment") instanceof Number n ? n.longValue() : 32;
      long pos = b.position();
      long dataStart = (pos + align - 1) / align * align;
      return new Header(meta, tensors, dataStart);
    } catch (java.nio.BufferUnderflowException e) {
      throw InvalidInputException.ofFile(file, "GGUF header is truncated");
    }
  }

  private static String string(ByteBuffer b) {
    long len = b.getLong();
    byte[] s = new byte[Math.toIntExact(len)];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }

  private static Object value(ByteBuffer b, int type, Path file, String key) {
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
        return string(b);
      case 9: {
        int itemType = b.getInt();
        long n = b.getLong();
        List<Object> items = new ArrayList<>((int) Math.min(n, 1 << 20));
        for (long i = 0; i < n; i++) {
          items.add(value(b, itemType, file, key));
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

  private static int intMeta(Path file, Map<String, Object> m, String key, Integer def) {
    Object v = m.get(key);
    if (v instanceof Number n) {
      return n.intValue();
    }
    if (def != null) {
      return def;
    }
    throw InvalidInputException.ofFile(file, "metadata " + key + ": missing");
  }

  private static double doubleMeta(Map<String, Object> m, String key, double def) {
    return m.get(key) instanceof Number n ? n.doubleValue() : def;
  }

  static LoadedModel load(Path file, String location, Device device, DataType type)
      throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      Header h = readHeader(file, ch);
      Map<String, Object> m = h.metadata();
      String arch = String.valueOf(m.get("general.architecture"));
      if (!"llama".equals(arch)) {
        throw InvalidInputException.ofFile(file, "metadata general.architecture: '" + arch
            + "' is not supported (llama only)");
      }
      Llama2cTokenizer tok = tokenizer(file, m);
      TensorInfo emb = h.tensors().get("token_embd.weight");
      if (emb == null) {
        throw InvalidInputException.ofFile(file, "tensor token_embd.weight: missing");
      }
      int dim = intMeta(file, m, "llama.embedding_length", null);
      int heads = intMeta(file, m, "llama.attention.head_count", null);
      LlamaConfig config;
      try {
        config = new LlamaConfig(dim, intMeta(file, m, "llama.feed_forward_length", null),
            intMeta(file, m, "llama.block_count", null), heads,
            intMeta(file, m, "llama.attention.head_count_kv", heads),
            (int) emb.shape().get(0), intMeta(file, m, "llama.context_length", 2048),
            doubleMeta(m, "llama.rope.freq_base", LlamaConfig.DEFAULT_ROPE_THETA),
            doubleMeta(m, "llama.attention.layer_norm_rms_epsilon", LlamaConfig.DEFAULT_NORM_EPS),
            !h.tensors().containsKey("output.weight"), RopeLayout.INTERLEAVED);
      } catch (IllegalArgumentException e) {
        throw InvalidInputException.ofFile(file, "invalid model config: " + e.getMessage());
      }
      Model model = Model.newInstance("llama", device);
      try {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        for (TensorInfo t : h.tensors().values()) {
          String name = rename(file, t.name());
          DataType stored = switch (t.ggmlType()) {
            case GGML_F32 -> DataType.FLOAT32;
            case GGML_F16 -> DataType.FLOAT16;
            case GGML_BF16 -> DataType.BFLOAT16;
            default -> throw InvalidInputException.ofFile(file, "tensor " + t.name()
                + ": ggml type " + t.ggmlType() + " (quantised) is not supported; F32, F16, BF16 only");
          };
          long bytes = t.shape().size() * stored.getNumOfBytes();
          long start = h.dataStart() + t.offset();
          if (start + bytes > ch.size()) {
            throw InvalidInputException.ofFile(file, "tensor " + t.name() + " lies past the end");
          }
          ByteBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, start, bytes);
          weights.put(name, Tensors.load(model.getNDManager(), data, t.shape(), stored, device,
              type));
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put(file.getFileName().toString(), Hashing.sha256(file));
        try {
          return ModelLoader.assemble(config, model, weights, tok,
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

  private static Llama2cTokenizer tokenizer(Path file, Map<String, Object> m) {
    Object model = m.get("tokenizer.ggml.model");
    if (!"llama".equals(model)) {
      throw InvalidInputException.ofFile(file, "metadata tokenizer.ggml.model: '" + model
          + "' is not supported (SentencePiece 'llama' vocabularies only)");
    }
    if (!(m.get("tokenizer.ggml.tokens") instanceof List<?> tokens)) {
      throw InvalidInputException.ofFile(file, "metadata tokenizer.ggml.tokens: missing");
    }
    List<String> pieces = tokens.stream().map(String::valueOf).toList();
    float[] scores = new float[pieces.size()];
    if (m.get("tokenizer.ggml.scores") instanceof List<?> s) {
      for (int i = 0; i < scores.length && i < s.size(); i++) {
        scores[i] = ((Number) s.get(i)).floatValue();
      }
    }
    int bos = intMeta(file, m, "tokenizer.ggml.bos_token_id", 1);
    int eos = intMeta(file, m, "tokenizer.ggml.eos_token_id", 2);
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
    if (name.startsWith("blk.")) {
      int dot = name.indexOf('.', 4);
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
      if (rest != null) {
        return "layers." + layer + "." + rest;
      }
    }
    throw InvalidInputException.ofFile(file, "tensor " + name + " is not part of a llama model");
  }
}

package org.genderalign.trainer.loader;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.trainer.model.LlamaConfig;
import org.genderalign.trainer.model.RopeLayout;

/**
 * llama2.c's legacy checkpoint ({@code export.py --version 0}, the format of
 * {@code stories*.bin}): seven int32 (dim, hidden_dim, n_layers, n_heads, n_kv_heads,
 * vocab_size — negative when the classifier is not shared — and seq_len), then float32 weights in
 * run.c's order: token embedding, attention RMS weights, wq, wk, wv, wo, FFN RMS weights, w1,
 * w2, w3, final RMS weight, two unused RoPE tables of {@code seq_len × head_size/2}, and the
 * classifier when unshared. Matrices are {@code (out, in)}; RoPE is {@link
 * RopeLayout#INTERLEAVED}.
 */
public final class Llama2cCheckpoint {

  private static final int HEADER_BYTES = 7 * 4;

  private Llama2cCheckpoint() {}

  /** Reads the header of {@code file} into a config. */
  public static LlamaConfig readConfig(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      if (ch.read(h) != HEADER_BYTES) {
        throw InvalidInputException.ofFile(file, "not a llama2.c checkpoint (shorter than header)");
      }
      h.flip();
      return config(file, h);
    }
  }

  private static LlamaConfig config(Path file, ByteBuffer h) {
    int dim = h.getInt();
    int hidden = h.getInt();
    int layers = h.getInt();
    int heads = h.getInt();
    int kvHeads = h.getInt();
    int vocab = h.getInt();
    int seqLen = h.getInt();
    try {
      return new LlamaConfig(dim, hidden, layers, heads, kvHeads, Math.abs(vocab), seqLen,
          LlamaConfig.DEFAULT_ROPE_THETA, LlamaConfig.DEFAULT_NORM_EPS, vocab > 0,
          RopeLayout.INTERLEAVED);
    } catch (IllegalArgumentException e) {
      throw InvalidInputException.ofFile(file,
          "not a llama2.c checkpoint: header gives an invalid config (" + e.getMessage() + ")");
    }
  }

  /**
   * Reads the header and checks that the file has exactly the bytes its config implies (with
   * overflow-safe arithmetic), so that a header claiming 10^9 layers or a huge width is refused
   * before any weight is read or the model built.
   */
  public static LlamaConfig inspect(Path file) throws IOException {
    LlamaConfig c = readConfig(file);
    long size = java.nio.file.Files.size(file);
    long expected = expectedBytes(file, c);
    if (size != expected) {
      throw InvalidInputException.ofFile(file, "llama2.c checkpoint of " + size
          + " bytes, but its header (" + c.nLayers() + " layers, dim " + c.dim() + ", vocab "
          + c.vocabSize() + ") needs " + expected);
    }
    return c;
  }

  /** The file size a config implies, or an error when it does not fit in a long. */
  static long expectedBytes(Path file, LlamaConfig c) {
    try {
      long d = c.dim();
      long kv = c.kvDim();
      long hid = c.hiddenDim();
      long l = c.nLayers();
      long v = c.vocabSize();
      long hs = c.headDim();
      long perLayer = Math.addExact(Math.addExact(2 * d, Math.multiplyExact(2, d * d)),
          Math.addExact(Math.multiplyExact(2 * d, kv), Math.multiplyExact(3 * d, hid)));
      long floats = Math.multiplyExact(v, d);
      floats = Math.addExact(floats, Math.multiplyExact(l, perLayer));
      floats = Math.addExact(floats, d);
      floats = Math.addExact(floats, Math.multiplyExact((long) c.maxSeqLen(), hs));
      if (!c.tiedEmbeddings()) {
        floats = Math.addExact(floats, Math.multiplyExact(v, d));
      }
      return Math.addExact(HEADER_BYTES, Math.multiplyExact(floats, 4));
    } catch (ArithmeticException e) {
      throw InvalidInputException.ofFile(file, "not a llama2.c checkpoint: its header implies more "
          + "than 2^63 bytes of weights");
    }
  }

  /** Reads every weight (llama2.c names, see {@code LlamaModel}) into {@code manager}. */
  public static Map<String, NDArray> readWeights(Path file, LlamaConfig c, NDManager manager,
      Device device, DataType type) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      long d = c.dim();
      long kv = c.kvDim();
      long hid = c.hiddenDim();
      long v = c.vocabSize();
      long hs = c.headDim();
      long expected = expectedBytes(file, c);
      if (size != expected) {
        throw InvalidInputException.ofFile(file, "llama2.c checkpoint of " + size
            + " bytes, expected " + expected + " for " + c);
      }
      if (size > Integer.MAX_VALUE) {
        throw InvalidInputException.ofFile(file, "llama2.c checkpoints over 2 GB are not supported "
            + "(convert to safetensors or GGUF)");
      }
      ByteBuffer all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
      all.position(HEADER_BYTES);
      Map<String, NDArray> w = new LinkedHashMap<>();
      Reader r = new Reader(all, manager, device, type);
      w.put("tok_embeddings.weight", r.next(new Shape(v, d)));
      perLayer(w, r, c, "attention_norm.weight", new Shape(d));
      perLayer(w, r, c, "attention.wq.weight", new Shape(d, d));
      perLayer(w, r, c, "attention.wk.weight", new Shape(kv, d));
      perLayer(w, r, c, "attention.wv.weight", new Shape(kv, d));
      perLayer(w, r, c, "attention.wo.weight", new Shape(d, d));
      perLayer(w, r, c, "ffn_norm.weight", new Shape(d));
      perLayer(w, r, c, "feed_forward.w1.weight", new Shape(hid, d));
      perLayer(w, r, c, "feed_forward.w2.weight", new Shape(d, hid));
      perLayer(w, r, c, "feed_forward.w3.weight", new Shape(hid, d));
      w.put("norm.weight", r.next(new Shape(d)));
      r.skip(2L * c.maxSeqLen() * hs / 2); // freq_cis_real, freq_cis_imag (recomputed)
      if (!c.tiedEmbeddings()) {
        w.put("output.weight", r.next(new Shape(v, d)));
      }
      return w;
    }
  }

  private static void perLayer(Map<String, NDArray> w, Reader r, LlamaConfig c, String name,
      Shape shape) {
    for (int i = 0; i < c.nLayers(); i++) {
      w.put("layers." + i + "." + name, r.next(shape));
    }
  }

  private static final class Reader {
    private final ByteBuffer buf;
    private final NDManager manager;
    private final Device device;
    private final DataType type;

    Reader(ByteBuffer buf, NDManager manager, Device device, DataType type) {
      this.buf = buf;
      this.manager = manager;
      this.device = device;
      this.type = type;
    }

    NDArray next(Shape shape) {
      int bytes = Math.toIntExact(shape.size() * 4);
      ByteBuffer slice = buf.slice().limit(bytes);
      buf.position(buf.position() + bytes);
      return Tensors.load(manager, slice, shape, DataType.FLOAT32, device, type);
    }

    void skip(long floats) {
      buf.position(Math.toIntExact(buf.position() + floats * 4));
    }
  }
}

package org.genderalign.trainer.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import lombok.Builder;

/**
 * The shape of a Llama-architecture causal LM: immutable, validated when built, and
 * JSON-serialisable (it is the {@code config.json} of the project's own checkpoint format).
 *
 * <p>Names follow llama2.c ({@code dim}, {@code hiddenDim}, {@code nLayers}, …) so that the C
 * code can be held beside this one.
 *
 * @param dim model (residual stream) width
 * @param hiddenDim SwiGLU inner width
 * @param nLayers number of transformer layers
 * @param nHeads number of query heads; {@code dim % nHeads == 0}
 * @param nKvHeads number of key/value heads (grouped-query attention); divides {@code nHeads}
 * @param vocabSize number of token ids
 * @param maxSeqLen the longest sequence the model was trained for (positions beyond it are
 *     rejected)
 * @param ropeTheta rotary base (10000 for Llama 2)
 * @param normEps RMSNorm epsilon (1e-5 for llama2.c and Llama 2)
 * @param tiedEmbeddings whether the output head reuses the token embedding matrix
 * @param ropeLayout which dimensions RoPE pairs up (decided by the checkpoint's origin)
 */
@Builder(toBuilder = true)
public record LlamaConfig(
    int dim,
    int hiddenDim,
    int nLayers,
    int nHeads,
    int nKvHeads,
    int vocabSize,
    int maxSeqLen,
    double ropeTheta,
    double normEps,
    boolean tiedEmbeddings,
    RopeLayout ropeLayout) {

  /** Rotary base of Llama 1/2 and llama2.c. */
  public static final double DEFAULT_ROPE_THETA = 10000.0;
  /** RMSNorm epsilon of llama2.c and Llama 2. */
  public static final double DEFAULT_NORM_EPS = 1e-5;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public LlamaConfig {
    positive("dim", dim);
    positive("hiddenDim", hiddenDim);
    positive("nLayers", nLayers);
    positive("nHeads", nHeads);
    positive("nKvHeads", nKvHeads);
    positive("vocabSize", vocabSize);
    positive("maxSeqLen", maxSeqLen);
    if (dim % nHeads != 0) {
      throw new IllegalArgumentException("dim " + dim + " is not a multiple of nHeads " + nHeads);
    }
    if (nHeads % nKvHeads != 0) {
      throw new IllegalArgumentException(
          "nHeads " + nHeads + " is not a multiple of nKvHeads " + nKvHeads);
    }
    if ((dim / nHeads) % 2 != 0) {
      throw new IllegalArgumentException("head size " + dim / nHeads + " must be even for RoPE");
    }
    if (!(ropeTheta > 0) || Double.isInfinite(ropeTheta)) {
      throw new IllegalArgumentException("ropeTheta must be positive and finite: " + ropeTheta);
    }
    if (!(normEps > 0) || normEps >= 1) {
      throw new IllegalArgumentException("normEps must be in (0, 1): " + normEps);
    }
    if (ropeLayout == null) {
      throw new IllegalArgumentException("ropeLayout is required");
    }
  }

  private static void positive(String name, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + v);
    }
  }

  /** karpathy's stories260K (dim 64, hidden 172, 5 layers, 8 heads, 4 KV heads, vocab 512). */
  public static LlamaConfig stories260K() {
    return new LlamaConfig(64, 172, 5, 8, 4, 512, 512, DEFAULT_ROPE_THETA, DEFAULT_NORM_EPS, true,
        RopeLayout.INTERLEAVED);
  }

  /**
   * A ~9.6M-parameter config (dim 384, hidden 1024, 6 layers, 6 heads, 2 KV heads, vocab 512 — the stories
   * tokenizer): the "bigger" model of the benchmarks and of training tests.
   */
  public static LlamaConfig small10M() {
    return new LlamaConfig(384, 1024, 6, 6, 2, 512, 512, DEFAULT_ROPE_THETA, DEFAULT_NORM_EPS,
        true, RopeLayout.INTERLEAVED);
  }

  /** Size of one attention head. */
  @JsonIgnore
  public int headDim() {
    return dim / nHeads;
  }

  /** Width of the key/value projections. */
  @JsonIgnore
  public int kvDim() {
    return nKvHeads * headDim();
  }

  /** Query heads per key/value head. */
  @JsonIgnore
  public int kvGroups() {
    return nHeads / nKvHeads;
  }

  /** Number of parameters of a model of this shape. */
  @JsonIgnore
  public long parameterCount() {
    long d = dim;
    long perLayer = 2 * d + d * d + 2 * d * kvDim() + d * d + 3 * d * hiddenDim;
    long p = (long) vocabSize * d + nLayers * perLayer + d;
    return tiedEmbeddings ? p : p + (long) vocabSize * d;
  }

  /** This config as pretty-printed JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses {@link #toJson()} output (validated like any other construction). */
  public static LlamaConfig fromJson(String json) {
    try {
      return JSON.readValue(json, LlamaConfig.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a LlamaConfig JSON: " + e.getMessage(), e);
    }
  }
}

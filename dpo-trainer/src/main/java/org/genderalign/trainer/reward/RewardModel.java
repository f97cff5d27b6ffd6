package org.genderalign.trainer.reward;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.io.Hashing;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.loader.HuggingFaceLoader;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.model.LlamaModel;
import org.genderalign.trainer.tokenizer.Tokenizer;

/**
 * A reward model: a {@link LlamaModel} base and a scalar head {@code score} {@code (1, dim)}, no
 * bias, applied to the final hidden state (after the last RMSNorm) of each row's last non-padding
 * token (see {@link RewardBatch}) — Hugging Face's {@code LlamaForSequenceClassification} with
 * {@code num_labels = 1}. The base's LM head, if it has one, is never used.
 *
 * <p>On disk it is a Hugging Face folder ({@link #save}): {@code config.json} with
 * {@code architectures: ["LlamaForSequenceClassification"]}, one label and {@code pad_token_id};
 * {@code model.safetensors} with the base under {@code model.*} and {@code score.weight}; the
 * tokenizer. {@code AutoModelForSequenceClassification.from_pretrained} loads it, and so does
 * {@link #load}. The prompt template and maximum length it was trained with are kept in
 * {@code config.json} under {@value #SETTINGS_KEY} (Hugging Face ignores unknown keys) so that
 * scoring encodes text as training did.
 *
 * <p>A base of any format {@link ModelLoader} reads (llama2.c, GGUF, Hugging Face causal LM, the
 * project's checkpoint) gets a fresh head drawn from a seed ({@link #withFreshHead}): normal with
 * std {@value #DEFAULT_HEAD_INIT_STD}, Hugging Face's {@code initializer_range}.
 *
 * <p>The head is float32 whatever the base's type (the hidden state is cast before it). Closing
 * the reward model frees the base.
 */
public final class RewardModel implements AutoCloseable {

  public static final String ARCHITECTURE = "LlamaForSequenceClassification";
  public static final String SCORE_WEIGHT = "score.weight";
  /** Hugging Face's {@code initializer_range}: the std of a fresh head. */
  public static final double DEFAULT_HEAD_INIT_STD = 0.02;
  /** The key of this project's settings in {@code config.json}. */
  public static final String SETTINGS_KEY = "genderalign_reward";
  /** Rows per forward pass when scoring. */
  public static final int DEFAULT_BATCH_SIZE = 16;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * How text was encoded when the model was trained (null fields: not known).
   *
   * @param promptTemplate the {@link org.genderalign.trainer.data.PromptTemplate} name
   * @param maxLength the longest prompt + completion, in tokens
   */
  public record Encoding(String promptTemplate, Integer maxLength) {
    public static final Encoding UNKNOWN = new Encoding(null, null);
  }

  private final LoadedModel base;
  private final Parameter score;
  private final int padTokenId;
  private Encoding encoding;

  private RewardModel(LoadedModel base, NDArray scoreWeight, int padTokenId, Encoding encoding) {
    this.base = Objects.requireNonNull(base);
    Shape want = new Shape(1, base.config().dim());
    if (!scoreWeight.getShape().equals(want)) {
      throw new IllegalArgumentException(SCORE_WEIGHT + " has shape " + scoreWeight.getShape() + ", expected "
          + want + " (one label)");
    }
    this.score = Parameter.builder().setName("score").setType(Parameter.Type.WEIGHT).build();
    NDArray w = scoreWeight.getDataType() == DataType.FLOAT32 ? scoreWeight
        : scoreWeight.toType(DataType.FLOAT32, false);
    w.attach(base.manager());
    w.setRequiresGradient(true);
    score.setArray(w);
    this.padTokenId = padTokenId;
    this.encoding = encoding == null ? Encoding.UNKNOWN : encoding;
  }

  /**
   * A base with a fresh head drawn from {@code seed}.
   *
   * @param padTokenId the padding id (see {@link RewardBatch}); {@link #defaultPadId} is TRL's choice
   */
  public static RewardModel withFreshHead(LoadedModel base, long seed, int padTokenId) {
    int dim = base.config().dim();
    float[] w = new float[dim];
    Random rnd = new Random(seed);
    for (int i = 0; i < dim; i++) {
      w[i] = (float) (rnd.nextGaussian() * DEFAULT_HEAD_INIT_STD);
    }
    NDArray arr = base.manager().create(w, new Shape(1, dim));
    return new RewardModel(base, arr, padTokenId, Encoding.UNKNOWN);
  }

  /** TRL's padding id: the tokenizer's pad token, else EOS (our tokenizers have no pad token); 0 without EOS. */
  public static int defaultPadId(Tokenizer tokenizer) {
    return tokenizer.eosId() >= 0 ? tokenizer.eosId() : 0;
  }

  /** Whether {@code dir} is a Hugging Face folder of a {@value #ARCHITECTURE}. */
  public static boolean isRewardModelFolder(Path dir) {
    Path cfg = dir.resolve("config.json");
    if (!Files.isDirectory(dir) || !Files.isRegularFile(cfg)) {
      return false;
    }
    try {
      for (JsonNode a : JSON.readTree(cfg.toFile()).path("architectures")) {
        if (ARCHITECTURE.equals(a.asText())) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Loads a {@value #ARCHITECTURE} folder with one label.
   *
   * @throws InvalidInputException if the folder is not one
   */
  public static RewardModel load(Path dir, Device device, DataType type) throws IOException {
    Path cfgFile = dir.resolve("config.json");
    if (!isRewardModelFolder(dir)) {
      throw InvalidInputException.ofFile(cfgFile, "field architectures: expected [\"" + ARCHITECTURE
          + "\"] (a reward model folder)");
    }
    JsonNode cfg = JSON.readTree(cfgFile.toFile());
    int labels = cfg.has("num_labels") ? cfg.path("num_labels").asInt()
        : cfg.path("id2label").isObject() ? cfg.path("id2label").size() : 2;
    if (labels != 1) {
      throw InvalidInputException.ofFile(cfgFile, "field id2label/num_labels: a reward model has one label, found "
          + labels);
    }
    int pad = cfg.path("pad_token_id").isInt() ? cfg.path("pad_token_id").asInt() : -1;
    JsonNode s = cfg.path(SETTINGS_KEY);
    Encoding enc = new Encoding(s.path("prompt_template").isTextual() ? s.path("prompt_template").asText() : null,
        s.path("max_length").isInt() ? s.path("max_length").asInt() : null);
    Map<String, NDArray> heads = new LinkedHashMap<>();
    LoadedModel base = HuggingFaceLoader.load(dir, device, type, Set.of(SCORE_WEIGHT), heads);
    try {
      if (!heads.containsKey(SCORE_WEIGHT)) {
        throw InvalidInputException.ofFile(dir, "no " + SCORE_WEIGHT + " tensor in the weights");
      }
      return new RewardModel(base, heads.get(SCORE_WEIGHT), pad, enc);
    } catch (IllegalArgumentException e) {
      base.close();
      throw InvalidInputException.ofFile(dir, e.getMessage());
    } catch (RuntimeException e) {
      base.close();
      throw e;
    }
  }

  /**
   * A reward model from a name or path: a {@value #ARCHITECTURE} folder is loaded as it is; any
   * other model {@link ModelLoader} reads becomes the base of a fresh head drawn from {@code seed}.
   *
   * @param padTokenId the padding id of a fresh head (null: {@link #defaultPadId}); for a reward
   *     model folder it must be null or equal to the folder's
   */
  public static RewardModel loadOrCreate(String nameOrPath, DataRoot root, Device device, DataType type, long seed,
      Integer padTokenId) throws IOException {
    Path p = Path.of(nameOrPath);
    if (isRewardModelFolder(p)) {
      RewardModel rm = load(p, device, type);
      if (padTokenId != null && padTokenId != rm.padTokenId()) {
        rm.close();
        throw new IllegalArgumentException("the reward model in " + p + " pads with id " + rm.padTokenId()
            + ", not " + padTokenId);
      }
      return rm;
    }
    LoadedModel base = ModelLoader.load(nameOrPath, root, device, type);
    return withFreshHead(base, seed, padTokenId != null ? padTokenId : defaultPadId(base.tokenizer()));
  }

  public LoadedModel base() {
    return base;
  }

  public LlamaModel block() {
    return base.block();
  }

  public Tokenizer tokenizer() {
    return base.tokenizer();
  }

  /** The manager of the weights. */
  public NDManager manager() {
    return base.manager();
  }

  /** The head {@code (1, dim)} float32 (trainable). */
  public Parameter score() {
    return score;
  }

  /** The padding id; rewards are read at the last other token of each row. */
  public int padTokenId() {
    return padTokenId;
  }

  /** How text was encoded in training (fields null when unknown: a fresh head, an outside model). */
  public Encoding encoding() {
    return encoding;
  }

  /** Records how the model is trained (saved with it). */
  public void setEncoding(Encoding e) {
    this.encoding = Objects.requireNonNull(e);
  }

  /**
   * Rewards of a batch, differentiable when called inside a gradient collector.
   *
   * @param weights the weights to read (a replica's under data parallel)
   * @param step the batch's manager: every temporary belongs to it
   * @param batch the rows
   * @param training whether training-only behaviour (LoRA dropout) applies
   * @return (N) float32
   */
  public NDArray rewards(ParameterStore weights, NDManager step, RewardBatch batch, boolean training) {
    int n = batch.rows();
    int dim = base.config().dim();
    NDArray ids = batch.inputIdsArray(step); // (N, T)
    NDArray h = block().normedHidden(weights, new NDList(ids), training); // (N, T, dim)
    long[] last = new long[n];
    for (int i = 0; i < n; i++) {
      last[i] = batch.lastIndex()[i];
    }
    NDArray idx = step.create(last, new Shape(n, 1, 1)).repeat(2, dim); // (N, 1, dim)
    NDArray pooled = h.gather(idx, 1).reshape(n, dim); // (N, dim)
    if (pooled.getDataType() != DataType.FLOAT32) {
      pooled = pooled.toType(DataType.FLOAT32, false);
    }
    NDArray w = weights.getValue(score, pooled.getDevice(), training); // (1, dim)
    return Linear.linear(pooled, w).singletonOrThrow().reshape(n); // (N)
  }

  /**
   * Rewards of token sequences (each BOS + prompt + completion + EOS as encoded for training),
   * without gradients, in batches of {@code batchSize} rows of similar length.
   *
   * @return one reward per sequence, in input order
   */
  public float[] rewards(List<int[]> sequences, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
    }
    float[] out = new float[sequences.size()];
    List<Integer> order = new ArrayList<>(sequences.size());
    for (int i = 0; i < sequences.size(); i++) {
      order.add(i);
    }
    // similar lengths together: less padding (a row's reward does not depend on its batch)
    order.sort(Comparator.comparingInt((Integer i) -> sequences.get(i).length).thenComparingInt(i -> i));
    for (int from = 0; from < order.size(); from += batchSize) {
      List<Integer> idx = order.subList(from, Math.min(order.size(), from + batchSize));
      List<int[]> rows = new ArrayList<>(idx.size());
      idx.forEach(i -> rows.add(sequences.get(i)));
      try (NDManager sm = manager().newSubManager()) {
        float[] r = rewards(new ParameterStore(sm, false), sm, RewardBatch.of(rows, padTokenId), false)
            .toFloatArray();
        for (int j = 0; j < idx.size(); j++) {
          out[idx.get(j)] = r[j];
        }
      }
    }
    return out;
  }

  /**
   * Writes the model as a Hugging Face {@value #ARCHITECTURE} folder (see the class comment) with
   * {@code provenance.json} (the sha256 of the weights and tokenizer added). Adapters must be
   * merged first.
   */
  public void save(Path dir, Provenance provenance) throws IOException {
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("id2label", Map.of("0", "LABEL_0"));
    extra.put("label2id", Map.of("LABEL_0", 0));
    extra.put("pad_token_id", padTokenId);
    Map<String, Object> s = new LinkedHashMap<>();
    if (encoding.promptTemplate() != null) {
      s.put("prompt_template", encoding.promptTemplate());
    }
    if (encoding.maxLength() != null) {
      s.put("max_length", encoding.maxLength());
    }
    if (!s.isEmpty()) {
      extra.put(SETTINGS_KEY, s);
    }
    HuggingFaceLoader.save(block(), tokenizer(), dir, ARCHITECTURE, false, Map.of(SCORE_WEIGHT, score.getArray()),
        extra);
    Provenance p = provenance.withInput("model.safetensors", dir.resolve("model.safetensors"));
    for (Map.Entry<String, String> e : base.source().files().entrySet()) {
      p = p.withInputHash("base:" + e.getKey(), e.getValue());
    }
    AtomicFiles.writeString(dir.resolve("provenance.json"), JSON.writeValueAsString(p));
  }

  /** The sha256 of a saved reward model folder's weights: its identity. */
  public static String weightsSha256(Path dir) throws IOException {
    return Hashing.sha256(dir.resolve("model.safetensors"));
  }

  @Override
  public void close() {
    base.close();
  }
}

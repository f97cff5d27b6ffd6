package org.genderalign.trainer.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.genderalign.core.error.InvalidInputException;

/**
 * A Hugging Face {@code tokenizer.json}, run by DJL's native HuggingFace tokenizer (works
 * offline from a local file). Special tokens are never added by {@link #encode}; BOS/EOS ids come
 * from the folder's {@code tokenizer_config.json} / {@code config.json} when present, else from
 * the usual Llama names {@code <s>} / {@code </s>}.
 */
public final class HuggingFaceTokenizer implements Tokenizer, AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ai.djl.huggingface.tokenizers.HuggingFaceTokenizer delegate;
  private final int vocabSize;
  private final int bos;
  private final int eos;
  private final String description;
  private final Path file;

  private HuggingFaceTokenizer(ai.djl.huggingface.tokenizers.HuggingFaceTokenizer delegate,
      int vocabSize, int bos, int eos, String description, Path file) {
    this.file = file;
    this.delegate = delegate;
    this.vocabSize = vocabSize;
    this.bos = bos;
    this.eos = eos;
    this.description = description;
  }

  /** Largest {@code tokenizer.json} read (the biggest common ones are tens of MB). */
  public static final long MAX_FILE_BYTES = 256L << 20;
  /** Largest vocabulary accepted (the largest common ones are ~256K). */
  public static final int MAX_VOCAB = 1 << 24;

  /**
   * What the project reads from a {@code tokenizer.json} itself (the encoding is DJL's): the
   * vocabulary size and the BOS/EOS ids.
   *
   * @param vocabSize highest id + 1
   * @param bos BOS id or −1
   * @param eos EOS id or −1
   */
  public record Vocabulary(int vocabSize, int bos, int eos) {}

  /**
   * Loads {@code tokenizer.json} (a file, or a folder containing one).
   *
   * @param bosOverride BOS id from the model's config, or null to look it up
   * @param eosOverride EOS id from the model's config, or null to look it up
   */
  public static HuggingFaceTokenizer load(Path fileOrDir, Integer bosOverride, Integer eosOverride)
      throws IOException {
    Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve("tokenizer.json") : fileOrDir;
    Vocabulary v = vocabulary(file, bosOverride, eosOverride);
    ai.djl.huggingface.tokenizers.HuggingFaceTokenizer delegate;
    try {
      delegate = ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.newInstance(file,
          Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
    } catch (RuntimeException e) {
      // the native library rejects what it cannot build a tokenizer from (unknown model type,
      // missing merges, …): that is bad input, said in one line
      throw InvalidInputException.ofFile(file, "not a tokenizer the Hugging Face tokenizers library "
          + "can load (" + oneLine(e.getMessage()) + ")").withCause(e);
    }
    return new HuggingFaceTokenizer(delegate, v.vocabSize(), v.bos(), v.eos(),
        "huggingface(" + file + ")", file.toAbsolutePath());
  }

  /**
   * Reads the vocabulary size and BOS/EOS ids of {@code file} (and of the
   * {@code tokenizer_config.json} beside it): every id checked to be an integer in
   * [0, {@link #MAX_VOCAB}), every name a string.
   */
  public static Vocabulary vocabulary(Path file, Integer bosOverride, Integer eosOverride)
      throws IOException {
    if (!Files.isRegularFile(file)) {
      throw InvalidInputException.ofFile(file, "tokenizer.json not found");
    }
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw InvalidInputException.ofFile(file, "tokenizer.json of " + Files.size(file)
          + " bytes (at most " + (MAX_FILE_BYTES >> 20) + " MB)");
    }
    JsonNode root = readJson(file);
    JsonNode model = root.path("model");
    JsonNode vocab = model.path("vocab");
    int size = 0;
    java.util.Map<String, Integer> ids = new java.util.HashMap<>();
    if (vocab.isObject()) {
      for (var it = vocab.fields(); it.hasNext(); ) {
        var e = it.next();
        int id = id(file, "model.vocab." + e.getKey(), e.getValue());
        ids.put(e.getKey(), id);
        size = Math.max(size, id + 1);
      }
    } else if (vocab.isArray()) { // Unigram: [[piece, score], ...]
      if (vocab.size() > MAX_VOCAB) {
        throw InvalidInputException.ofFile(file, "field model.vocab: more than " + MAX_VOCAB + " pieces");
      }
      for (int i = 0; i < vocab.size(); i++) {
        JsonNode piece = vocab.get(i).path(0);
        if (!piece.isTextual()) {
          throw InvalidInputException.ofFile(file, "field model.vocab[" + i + "]: expected [piece, score]");
        }
        ids.put(piece.textValue(), i);
      }
      size = vocab.size();
    }
    JsonNode added = root.path("added_tokens");
    if (!added.isMissingNode() && !added.isNull() && !added.isArray()) {
      throw InvalidInputException.ofFile(file, "field added_tokens: expected a list");
    }
    for (JsonNode t : added) {
      if (!t.path("content").isTextual()) {
        throw InvalidInputException.ofFile(file, "field added_tokens: 'content' must be a string");
      }
      int id = id(file, "added_tokens." + t.path("content").textValue(), t.path("id"));
      ids.put(t.path("content").textValue(), id);
      size = Math.max(size, id + 1);
    }
    if (size == 0) {
      throw InvalidInputException.ofFile(file, "no vocabulary under model.vocab");
    }
    Path dir = file.toAbsolutePath().getParent();
    int bos = bosOverride != null ? bosOverride : special(dir, ids, "bos_token", "<s>");
    int eos = eosOverride != null ? eosOverride : special(dir, ids, "eos_token", "</s>");
    return new Vocabulary(size, bos, eos);
  }

  private static JsonNode readJson(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw InvalidInputException.ofFile(file, "not valid JSON (" + oneLine(e.getMessage()) + ")");
    }
    if (root == null || !root.isObject()) {
      throw InvalidInputException.ofFile(file, "expected a JSON object");
    }
    return root;
  }

  private static int id(Path file, String field, JsonNode n) {
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 0 || n.intValue() >= MAX_VOCAB) {
      throw InvalidInputException.ofFile(file, "field " + field + ": id " + n
          + " (expected an integer in [0, " + MAX_VOCAB + "))");
    }
    return n.intValue();
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "no detail";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static int special(Path dir, Map<String, Integer> ids, String key, String fallback)
      throws IOException {
    Path cfg = dir.resolve("tokenizer_config.json");
    String name = null;
    if (Files.isRegularFile(cfg)) {
      if (Files.size(cfg) > MAX_FILE_BYTES) {
        throw InvalidInputException.ofFile(cfg, "tokenizer_config.json of " + Files.size(cfg) + " bytes");
      }
      JsonNode n = readJson(cfg).path(key);
      name = n.isTextual() ? n.asText() : n.path("content").isTextual()
          ? n.path("content").asText() : null;
    }
    if (name == null) {
      name = fallback;
    }
    Integer id = ids.get(name);
    return id == null ? -1 : id;
  }

  /** The {@code tokenizer.json} this was loaded from. */
  public Path file() {
    return file;
  }

  @Override
  public int bosId() {
    return bos;
  }

  @Override
  public int eosId() {
    return eos;
  }

  @Override
  public int[] encode(String text) {
    if (text.isEmpty()) {
      return new int[0];
    }
    long[] ids = delegate.encode(text, false, false).getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = (int) ids[i];
    }
    return out;
  }

  @Override
  public String decode(int[] ids) {
    long[] l = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      l[i] = ids[i];
    }
    return delegate.decode(l, true);
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    delegate.close();
  }
}

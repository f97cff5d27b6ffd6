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

  /**
   * Loads {@code tokenizer.json} (a file, or a folder containing one).
   *
   * @param bosOverride BOS id from the model's config, or null to look it up
   * @param eosOverride EOS id from the model's config, or null to look it up
   */
  public static HuggingFaceTokenizer load(Path fileOrDir, Integer bosOverride, Integer eosOverride)
      throws IOException {
    Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve("tokenizer.json") : fileOrDir;
    if (!Files.isRegularFile(file)) {
      throw InvalidInputException.ofFile(file, "tokenizer.json not found");
    }
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw InvalidInputException.ofFile(file, "not valid JSON: " + e.getMessage());
    }
    JsonNode vocab = root.path("model").path("vocab");
    int size = 0;
    java.util.Map<String, Integer> ids = new java.util.HashMap<>();
    if (vocab.isObject()) {
      for (var it = vocab.fields(); it.hasNext(); ) {
        var e = it.next();
        ids.put(e.getKey(), e.getValue().asInt());
        size = Math.max(size, e.getValue().asInt() + 1);
      }
    } else if (vocab.isArray()) { // Unigram: [[piece, score], ...]
      for (int i = 0; i < vocab.size(); i++) {
        ids.put(vocab.get(i).path(0).asText(), i);
      }
      size = vocab.size();
    }
    for (JsonNode t : root.path("added_tokens")) {
      ids.put(t.path("content").asText(), t.path("id").asInt());
      size = Math.max(size, t.path("id").asInt() + 1);
    }
    if (size == 0) {
      throw InvalidInputException.ofFile(file, "no vocabulary under model.vocab");
    }
    Path dir = file.toAbsolutePath().getParent();
    int bos = bosOverride != null ? bosOverride : special(dir, ids, "bos_token", "<s>");
    int eos = eosOverride != null ? eosOverride : special(dir, ids, "eos_token", "</s>");
    var delegate = ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.newInstance(file,
        Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
    return new HuggingFaceTokenizer(delegate, size, bos, eos, "huggingface(" + file + ")",
        file.toAbsolutePath());
  }

  private static int special(Path dir, Map<String, Integer> ids, String key, String fallback)
      throws IOException {
    Path cfg = dir.resolve("tokenizer_config.json");
    String name = null;
    if (Files.isRegularFile(cfg)) {
      JsonNode n = JSON.readTree(cfg.toFile()).path(key);
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

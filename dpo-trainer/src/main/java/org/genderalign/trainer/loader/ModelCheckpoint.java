package org.genderalign.trainer.loader;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.io.FolderManifest;
import org.genderalign.core.io.Hashing;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.model.LlamaConfig;
import org.genderalign.trainer.model.LlamaModel;
import org.genderalign.trainer.tokenizer.HuggingFaceTokenizer;
import org.genderalign.trainer.tokenizer.Llama2cTokenizer;
import org.genderalign.trainer.tokenizer.Tokenizer;

/**
 * The project's own checkpoint: a folder with
 * <ul>
 *   <li>{@code config.json} — the {@link LlamaConfig} as JSON, plus {@code "format":
 *       "genderalign-llama"};</li>
 *   <li>{@code model.safetensors} — every weight under its llama2.c name (see
 *       {@link LlamaModel}), in the model's data type;</li>
 *   <li>{@code tokenizer.json} (Hugging Face tokenizers, copied with {@code tokenizer_config.json})
 *       or {@code tokenizer.bin} (llama2.c format), and {@code tokenizer-ref.json} saying which;</li>
 *   <li>{@code provenance.json} — the {@link Provenance} of whatever wrote it, with the sha256 of
 *       the weights and tokenizer files added.</li>
 * </ul>
 * Adapters are not part of the base weights: merge them first or save them beside.
 */
public final class ModelCheckpoint {

  /** The {@code format} value in {@code config.json} that marks this format. */
  public static final String FORMAT = "genderalign-llama";
  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  public static final String TOKENIZER_REF = "tokenizer-ref.json";
  public static final String PROVENANCE = "provenance.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelCheckpoint() {}

  /** Saves a loaded model (weights, tokenizer) with {@code provenance}. */
  public static void save(LoadedModel model, Path dir, Provenance provenance) throws IOException {
    Provenance p = provenance;
    for (Map.Entry<String, String> e : model.source().files().entrySet()) {
      p = p.withInputHash("base:" + e.getKey(), e.getValue());
    }
    save(model.block(), model.tokenizer(), dir, p);
  }

  /**
   * Saves {@code block}'s weights, its config and a copy of {@code tokenizer} into {@code dir}
   * (created if needed; existing files of the format are replaced).
   */
  public static void save(LlamaModel block, Tokenizer tokenizer, Path dir, Provenance provenance)
      throws IOException {
    Files.createDirectories(dir);
    ObjectNode cfg = (ObjectNode) JSON.readTree(block.config().toJson());
    cfg.put("format", FORMAT);
    AtomicFiles.writeString(dir.resolve(CONFIG), JSON.writeValueAsString(cfg));
    Map<String, NDArray> weights = new LinkedHashMap<>();
    block.namedParameters().forEach((name, param) -> weights.put(name, param.getArray()));
    SafeTensors.write(dir.resolve(WEIGHTS), weights, Map.of("format", FORMAT));

    ObjectNode ref = JSON.createObjectNode();
    if (tokenizer instanceof Llama2cTokenizer t) {
      t.save(dir.resolve("tokenizer.bin"));
      ref.put("type", "llama2c").put("file", "tokenizer.bin");
    } else if (tokenizer instanceof HuggingFaceTokenizer t) {
      Path src = t.file();
      if (!src.equals(dir.resolve("tokenizer.json").toAbsolutePath())) {
        Files.copy(src, dir.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        Path tc = src.getParent().resolve("tokenizer_config.json");
        if (Files.isRegularFile(tc)) {
          Files.copy(tc, dir.resolve("tokenizer_config.json"), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      ref.put("type", "huggingface").put("file", "tokenizer.json");
    } else {
      throw new IllegalArgumentException("cannot save tokenizer " + tokenizer.describe());
    }
    ref.put("bos", tokenizer.bosId()).put("eos", tokenizer.eosId())
        .put("source", tokenizer.describe());
    AtomicFiles.writeString(dir.resolve(TOKENIZER_REF), JSON.writeValueAsString(ref));

    Provenance p = provenance
        .withInput(WEIGHTS, dir.resolve(WEIGHTS))
        .withInput(ref.get("file").asText(), dir.resolve(ref.get("file").asText()));
    AtomicFiles.writeString(dir.resolve(PROVENANCE), JSON.writeValueAsString(p));
    FolderManifest.write(dir); // last: its presence says the folder is complete
  }

  /** Whether {@code dir} holds a checkpoint of this format. */
  public static boolean isCheckpoint(Path dir) {
    Path cfg = dir.resolve(CONFIG);
    if (!Files.isRegularFile(cfg) || !Files.isRegularFile(dir.resolve(WEIGHTS))) {
      return false;
    }
    try {
      return FORMAT.equals(JSON.readTree(cfg.toFile()).path("format").asText());
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads only the config of a checkpoint folder. */
  public static LlamaConfig readConfig(Path dir) throws IOException {
    Path cfgFile = dir.resolve(CONFIG);
    JsonNode cfg = readJson(cfgFile);
    if (!FORMAT.equals(cfg.path("format").asText())) {
      throw InvalidInputException.ofFile(cfgFile, "not a " + FORMAT + " checkpoint config");
    }
    ((ObjectNode) cfg).remove("format");
    try {
      return LlamaConfig.fromJson(JSON.writeValueAsString(cfg));
    } catch (IllegalArgumentException e) {
      throw InvalidInputException.ofFile(cfgFile, "invalid config: "
          + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
  }

  /** A small JSON object file of the checkpoint, read as bad input when it is not one. */
  private static JsonNode readJson(Path f) throws IOException {
    if (!Files.isRegularFile(f)) {
      throw InvalidInputException.ofFile(f, "missing from the checkpoint");
    }
    if (Files.size(f) > (1 << 20)) {
      throw InvalidInputException.ofFile(f, Files.size(f) + " bytes (at most 1 MB expected)");
    }
    JsonNode n;
    try {
      n = JSON.readTree(f.toFile());
    } catch (IOException e) {
      throw InvalidInputException.ofFile(f, "not valid JSON");
    }
    if (n == null || !n.isObject()) {
      throw InvalidInputException.ofFile(f, "expected a JSON object");
    }
    return n;
  }

  /** What {@code tokenizer-ref.json} says: the tokenizer's kind, file and special ids. */
  record TokenizerRef(String type, Path file, int bos, int eos) {}

  /** Reads and checks {@code tokenizer-ref.json}: the file must be a plain name in {@code dir}. */
  static TokenizerRef readTokenizerRef(Path dir) throws IOException {
    Path refFile = dir.resolve(TOKENIZER_REF);
    JsonNode ref = readJson(refFile);
    String type = ref.path("type").asText();
    if (!type.equals("llama2c") && !type.equals("huggingface")) {
      throw InvalidInputException.ofFile(refFile, "field type: unknown tokenizer type '" + type
          + "' (llama2c or huggingface)");
    }
    String name = ref.path("file").asText();
    if (!name.matches("[A-Za-z0-9._-]{1,255}") || name.equals(".") || name.equals("..")) {
      throw InvalidInputException.ofFile(refFile, "field file: expected a file name in the checkpoint folder");
    }
    int bos = ref.path("bos").asInt(-1);
    int eos = ref.path("eos").asInt(-1);
    return new TokenizerRef(type, dir.resolve(name), bos, eos);
  }

  /**
   * Everything of a checkpoint folder that is checked before loading: its manifest (when it has
   * one: folders written before manifests existed load unchecked), config, tokenizer reference
   * and weights' names and shapes against the config. Returns the config.
   */
  static LlamaConfig inspect(Path dir) throws IOException {
    if (Files.exists(dir.resolve(FolderManifest.FILE))) {
      FolderManifest.verify(dir);
    }
    LlamaConfig config = readConfig(dir);
    readTokenizerRef(dir);
    Map<String, ai.djl.ndarray.types.Shape> declared = new LinkedHashMap<>();
    SafeTensors.header(dir.resolve(WEIGHTS)).forEach((k, e) -> declared.put(k, e.shape()));
    WeightCheck.check(dir.resolve(WEIGHTS), config, declared);
    return config;
  }

  /** Loads a checkpoint folder onto {@code device} in {@code type}. */
  public static LoadedModel load(Path dir, Device device, DataType type) throws IOException {
    LlamaConfig config = inspect(dir);
    TokenizerRef ref = readTokenizerRef(dir);
    Path tokFile = ref.file();
    Tokenizer tok = switch (ref.type()) {
      case "llama2c" -> Llama2cTokenizer.load(tokFile);
      default -> HuggingFaceTokenizer.load(tokFile, ref.bos(), ref.eos());
    };
    Model model = Model.newInstance("llama", device);
    try {
      LlamaModel block = new LlamaModel(config);
      Map<String, NDArray> w = SafeTensors.read(dir.resolve(WEIGHTS), n -> n,
          model.getNDManager(), device, type);
      try {
        block.loadWeights(w);
      } catch (IllegalArgumentException e) {
        throw InvalidInputException.ofFile(dir.resolve(WEIGHTS), e.getMessage());
      }
      model.setBlock(block);
      Map<String, String> files = new LinkedHashMap<>();
      files.put(WEIGHTS, Hashing.sha256(dir.resolve(WEIGHTS)));
      files.put(tokFile.getFileName().toString(), Hashing.sha256(tokFile));
      return new LoadedModel(model, block, tok,
          new ModelSource("checkpoint", dir.toString(), files));
    } catch (RuntimeException | IOException e) {
      model.close();
      if (tok instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }
}

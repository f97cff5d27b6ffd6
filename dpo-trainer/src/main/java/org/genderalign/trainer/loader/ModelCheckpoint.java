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
    JsonNode cfg = JSON.readTree(cfgFile.toFile());
    if (!FORMAT.equals(cfg.path("format").asText())) {
      throw InvalidInputException.ofFile(cfgFile, "not a " + FORMAT + " checkpoint config");
    }
    ((ObjectNode) cfg).remove("format");
    try {
      return LlamaConfig.fromJson(JSON.writeValueAsString(cfg));
    } catch (IllegalArgumentException e) {
      throw InvalidInputException.ofFile(cfgFile, "invalid config: " + e.getMessage());
    }
  }

  /** Loads a checkpoint folder onto {@code device} in {@code type}. */
  public static LoadedModel load(Path dir, Device device, DataType type) throws IOException {
    LlamaConfig config = readConfig(dir);
    Path refFile = dir.resolve(TOKENIZER_REF);
    if (!Files.isRegularFile(refFile)) {
      throw InvalidInputException.ofFile(refFile, "checkpoint has no tokenizer reference");
    }
    JsonNode ref = JSON.readTree(refFile.toFile());
    Path tokFile = dir.resolve(ref.path("file").asText());
    Tokenizer tok = switch (ref.path("type").asText()) {
      case "llama2c" -> Llama2cTokenizer.load(tokFile);
      case "huggingface" -> HuggingFaceTokenizer.load(tokFile, ref.path("bos").asInt(-1),
          ref.path("eos").asInt(-1));
      default -> throw InvalidInputException.ofFile(refFile,
          "unknown tokenizer type " + ref.path("type").asText());
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

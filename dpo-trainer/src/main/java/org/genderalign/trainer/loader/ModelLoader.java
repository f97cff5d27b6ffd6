package org.genderalign.trainer.loader;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.io.Hashing;
import org.genderalign.trainer.model.LlamaConfig;
import org.genderalign.trainer.model.LlamaModel;
import org.genderalign.trainer.tokenizer.Llama2cTokenizer;
import org.genderalign.trainer.tokenizer.Tokenizer;

/**
 * Loads a model named on the command line: a short name of a mirrored model
 * ({@value #STORIES_260K}, {@value #STORIES_260K_GGUF}) resolved through the data root, or a
 * path:
 * <ul>
 *   <li>a folder of the project's own checkpoint format ({@link ModelCheckpoint});</li>
 *   <li>a Hugging Face folder ({@code config.json}, {@code model.safetensors} or a sharded index,
 *       {@code tokenizer.json}) of a Llama-family model;</li>
 *   <li>a {@code .gguf} file (F32/F16 tensors, vocabulary inside);</li>
 *   <li>a llama2.c legacy {@code .bin} checkpoint, with {@code tokenizer.bin} or
 *       {@code tok*.bin} beside it.</li>
 * </ul>
 */
public final class ModelLoader {

  /** karpathy's stories260K (llama2.c format) from the data root. */
  public static final String STORIES_260K = "stories260K";
  /** The same model as GGUF, from the data root. */
  public static final String STORIES_260K_GGUF = "stories260K-gguf";
  /** Weights are float32 unless asked otherwise (the only type on CPU). */
  public static final DataType DEFAULT_TYPE = DataType.FLOAT32;

  private ModelLoader() {}

  /** The short names this loader knows. */
  public static List<String> shortNames() {
    return List.of(STORIES_260K, STORIES_260K_GGUF);
  }

  /** Loads {@code nameOrPath} on {@code device} in float32. */
  public static LoadedModel load(String nameOrPath, DataRoot root, Device device)
      throws IOException {
    return load(nameOrPath, root, device, DEFAULT_TYPE);
  }

  /**
   * Loads {@code nameOrPath} on {@code device} with weights in {@code type} (float32, or
   * bfloat16/float16 on a GPU).
   *
   * @throws InvalidInputException if the path is not a model this loader can read
   * @throws org.genderalign.core.dataroot.MissingDataException if a short name's files are
   *     missing or corrupt
   */
  public static LoadedModel load(String nameOrPath, DataRoot root, Device device, DataType type)
      throws IOException {
    if (type != DataType.FLOAT32 && !device.isGpu()) {
      throw new IllegalArgumentException("only float32 is supported on the CPU, not " + type);
    }
    String lower = nameOrPath.toLowerCase(Locale.ROOT);
    if (lower.equals(STORIES_260K.toLowerCase(Locale.ROOT))) {
      return llama2c(root.file("model-stories260k"), root.file("tokenizer-stories260k"),
          STORIES_260K, device, type);
    }
    if (lower.equals(STORIES_260K_GGUF.toLowerCase(Locale.ROOT))) {
      return GgufLoader.load(root.file("model-stories260k-gguf"), STORIES_260K_GGUF, device, type);
    }
    Path p = Path.of(nameOrPath);
    if (Files.isDirectory(p)) {
      if (ModelCheckpoint.isCheckpoint(p)) {
        return ModelCheckpoint.load(p, device, type);
      }
      if (Files.isRegularFile(p.resolve("config.json"))) {
        return HuggingFaceLoader.load(p, device, type);
      }
      throw InvalidInputException.ofFile(p, "folder is neither a " + ModelCheckpoint.FORMAT
          + " checkpoint nor a Hugging Face model (no config.json)");
    }
    if (!Files.isRegularFile(p)) {
      throw new InvalidInputException(p, InvalidInputException.Unit.FILE, -1, "--model",
          "no such file or folder, and not a short name (" + String.join(", ", shortNames())
              + ")", false, null, null);
    }
    if (lower.endsWith(".gguf")) {
      return GgufLoader.load(p, nameOrPath, device, type);
    }
    if (lower.endsWith(".bin")) {
      return llama2c(p, findLlama2cTokenizer(p), nameOrPath, device, type);
    }
    throw InvalidInputException.ofFile(p,
        "unknown model file type (expected a folder, .gguf or llama2.c .bin)");
  }

  private static Path findLlama2cTokenizer(Path model) throws IOException {
    Path dir = model.toAbsolutePath().getParent();
    Path std = dir.resolve("tokenizer.bin");
    if (Files.isRegularFile(std)) {
      return std;
    }
    try (var s = Files.list(dir)) {
      List<Path> toks = s.filter(f -> f.getFileName().toString().matches("tok.*\\.bin"))
          .sorted().toList();
      if (toks.size() == 1) {
        return toks.get(0);
      }
    }
    throw InvalidInputException.ofFile(model,
        "llama2.c checkpoint needs tokenizer.bin (or exactly one tok*.bin) in the same folder");
  }

  /** Loads a llama2.c legacy checkpoint with its tokenizer. */
  public static LoadedModel llama2c(Path modelFile, Path tokenizerFile, String location,
      Device device, DataType type) throws IOException {
    LlamaConfig config = Llama2cCheckpoint.inspect(modelFile); // size checked before allocating
    Llama2cTokenizer tok = Llama2cTokenizer.load(tokenizerFile);
    if (tok.vocabSize() != config.vocabSize()) {
      throw InvalidInputException.ofFile(tokenizerFile, "tokenizer has " + tok.vocabSize()
          + " pieces but the model's vocabulary is " + config.vocabSize());
    }
    Model model = Model.newInstance("llama", device);
    try {
      LlamaModel block = new LlamaModel(config);
      block.loadWeights(Llama2cCheckpoint.readWeights(modelFile, config, model.getNDManager(),
          device, type));
      model.setBlock(block);
      Map<String, String> files = new LinkedHashMap<>();
      files.put(modelFile.getFileName().toString(), Hashing.sha256(modelFile));
      files.put(tokenizerFile.getFileName().toString(), Hashing.sha256(tokenizerFile));
      return new LoadedModel(model, block, tok, new ModelSource("llama2c", location, files));
    } catch (RuntimeException | IOException e) {
      model.close();
      throw e;
    }
  }

  /**
   * A model with random weights (normal, std 0.02; norms 1) drawn from {@code seed}: for tests,
   * benchmarks and training from scratch.
   */
  public static LoadedModel random(LlamaConfig config, Tokenizer tokenizer, Device device,
      DataType type, long seed) {
    if (tokenizer.vocabSize() > config.vocabSize()) {
      throw new IllegalArgumentException("tokenizer has " + tokenizer.vocabSize()
          + " ids but the config's vocabulary is " + config.vocabSize());
    }
    Model model = Model.newInstance("llama", device);
    LlamaModel block = new LlamaModel(config);
    Engine.getInstance().setRandomSeed((int) seed);
    block.initializeRandom(model.getNDManager(), type);
    model.setBlock(block);
    return new LoadedModel(model, block, tokenizer,
        new ModelSource("random", "random(seed=" + seed + ")", Map.of()));
  }

  /** Loads weights already named by llama2.c convention into a fresh model (for loaders). */
  static LoadedModel assemble(LlamaConfig config, Model model, Map<String, NDArray> weights,
      Tokenizer tok, ModelSource source) {
    LlamaModel block = new LlamaModel(config);
    block.loadWeights(weights);
    model.setBlock(block);
    return new LoadedModel(model, block, tok, source);
  }
}

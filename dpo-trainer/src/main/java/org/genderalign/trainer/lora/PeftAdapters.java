package org.genderalign.trainer.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.loader.HuggingFaceLoader;
import org.genderalign.trainer.loader.SafeTensors;
import org.genderalign.trainer.model.LlamaConfig;
import org.genderalign.trainer.model.LlamaModel;
import org.genderalign.trainer.model.RopeLayout;

/**
 * LoRA adapters in Hugging Face PEFT's layout, so that Python users can
 * {@code PeftModel.from_pretrained(base, dir)} them onto the Hugging Face export of the base:
 * {@code adapter_config.json} (PEFT's {@code LoraConfig} keys) and
 * {@code adapter_model.safetensors} holding, per adapted projection,
 * {@code base_model.model.model.layers.N.self_attn.q_proj.lora_A.weight} {@code (r, in)} and
 * {@code ….lora_B.weight} {@code (out, r)}, float32 — what PEFT's {@code save_pretrained} writes
 * for a {@code LlamaForCausalLM} (its {@code get_peft_model_state_dict} drops the adapter name
 * {@code default}; the {@code lm_head} adapter is {@code base_model.model.lm_head.…}).
 *
 * <p>Models loaded from llama2.c or GGUF keep RoPE's interleaved layout, while a Hugging Face
 * Llama (and {@link HuggingFaceLoader#save}) uses rotate-half, whose q/k rows are permuted. The
 * adapter must fit the Hugging Face base, so the rows of {@code lora_B} of {@code q_proj} and
 * {@code k_proj} are permuted the same way on save, and back on load; A is unchanged. Both are
 * exact reorderings, so save → load is bit-identical.
 *
 * <p>References (huggingface/peft, commit 5d602fdbff04c33c1c4de55cda9d4ae1d7cb7e40):
 * {@code src/peft/utils/constants.py} (file names), {@code src/peft/utils/save_and_load.py}
 * (tensor names), {@code src/peft/tuners/lora/config.py} (config keys),
 * {@code src/peft/tuners/lora/layer.py} ({@code lora_A = nn.Linear(in, r)},
 * {@code lora_B = nn.Linear(r, out)}, scaling α / r).
 */
public final class PeftAdapters {

  /** PEFT's {@code CONFIG_NAME}. */
  public static final String CONFIG_FILE = "adapter_config.json";
  /** PEFT's {@code SAFETENSORS_WEIGHTS_NAME}. */
  public static final String WEIGHTS_FILE = "adapter_model.safetensors";
  /** Where this project's provenance goes (PEFT ignores other files in the folder). */
  public static final String PROVENANCE_FILE = "provenance.json";
  /** The prefix PEFT gives the wrapped model's parameters. */
  public static final String PREFIX = "base_model.model.";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Our projection name → Hugging Face module name (inside {@code model.layers.N.}). */
  private static final Map<String, String> MODULES = Map.of(
      "attention.wq", "self_attn.q_proj", "attention.wk", "self_attn.k_proj",
      "attention.wv", "self_attn.v_proj", "attention.wo", "self_attn.o_proj",
      "feed_forward.w1", "mlp.gate_proj", "feed_forward.w2", "mlp.down_proj",
      "feed_forward.w3", "mlp.up_proj");
  private static final Map<String, String> TARGETS = Map.of(
      "wq", "q_proj", "wk", "k_proj", "wv", "v_proj", "wo", "o_proj",
      "w1", "gate_proj", "w2", "down_proj", "w3", "up_proj", "output", "lm_head");

  private PeftAdapters() {}

  /**
   * PEFT's module path of one of our projections: {@code layers.3.attention.wq} →
   * {@code base_model.model.model.layers.3.self_attn.q_proj}; {@code output} →
   * {@code base_model.model.lm_head}.
   */
  public static String moduleName(String projection) {
    if (projection.equals("output")) {
      return PREFIX + "lm_head";
    }
    int dot = projection.indexOf('.', "layers.".length());
    String module = dot < 0 ? null : MODULES.get(projection.substring(dot + 1));
    if (!projection.startsWith("layers.") || module == null) {
      throw new IllegalArgumentException("no Hugging Face name for projection " + projection);
    }
    return PREFIX + "model." + projection.substring(0, dot) + "." + module;
  }

  /**
   * Writes {@code lora}'s adapters into {@code dir} in PEFT's layout.
   *
   * @param baseModel the base model's name or path, for {@code base_model_name_or_path} (PEFT
   *     loads it from there when none is given); may be null
   * @param provenance written to {@value #PROVENANCE_FILE}; may be null
   */
  public static void save(Lora lora, Path dir, String baseModel, Provenance provenance) throws IOException {
    Files.createDirectories(dir);
    LoraConfig cfg = lora.config();
    LlamaConfig mc = lora.model().config();
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    List<NDArray> temporaries = new ArrayList<>();
    try {
      for (Map.Entry<String, LoraAdapter> e : lora.adapters().entrySet()) {
        String module = moduleName(e.getKey());
        NDArray a = e.getValue().loraA().getArray(); // (r, in)
        NDArray b = e.getValue().loraB().getArray(); // (out, r)
        int heads = qkHeads(e.getKey(), mc);
        if (heads > 0) {
          b = HuggingFaceLoader.interleavedToHalf(b, heads, mc.headDim()); // (out, r), rows rotate-half
          temporaries.add(b);
        }
        tensors.put(module + ".lora_A.weight", a);
        tensors.put(module + ".lora_B.weight", b);
      }
      SafeTensors.write(dir.resolve(WEIGHTS_FILE), tensors, Map.of("format", "pt"));
    } finally {
      temporaries.forEach(NDArray::close);
    }
    AtomicFiles.writeString(dir.resolve(CONFIG_FILE), JSON.writeValueAsString(config(cfg, baseModel)) + "\n");
    if (provenance != null) {
      AtomicFiles.writeString(dir.resolve(PROVENANCE_FILE), JSON.writeValueAsString(provenance) + "\n");
    }
  }

  /** {@code adapter_config.json}: PEFT's {@code LoraConfig} fields, as its {@code save_pretrained} writes them. */
  static ObjectNode config(LoraConfig cfg, String baseModel) {
    ObjectNode c = JSON.createObjectNode();
    c.put("peft_type", "LORA");
    c.put("task_type", "CAUSAL_LM");
    c.put("base_model_name_or_path", baseModel);
    c.putNull("revision");
    c.put("inference_mode", true); // what save_pretrained records
    c.put("r", cfg.rank());
    if (cfg.alpha() == Math.rint(cfg.alpha())) {
      c.put("lora_alpha", (long) cfg.alpha()); // PEFT's type is int
    } else {
      c.put("lora_alpha", cfg.alpha());
    }
    c.put("lora_dropout", cfg.dropout());
    var targets = c.putArray("target_modules");
    new TreeSet<>(cfg.targets().stream().map(TARGETS::get).toList()).forEach(targets::add);
    c.put("bias", "none");
    c.put("fan_in_fan_out", false);
    c.put("use_rslora", false);
    c.put("use_dora", false);
    c.put("init_lora_weights", true);
    c.putNull("modules_to_save");
    c.putNull("layers_to_transform");
    c.putNull("layers_pattern");
    c.putObject("rank_pattern");
    c.putObject("alpha_pattern");
    return c;
  }

  /** Reads a PEFT {@code adapter_config.json} as a {@link LoraConfig}, refusing settings this project cannot apply. */
  public static LoraConfig readConfig(Path dir) throws IOException {
    Path file = dir.resolve(CONFIG_FILE);
    JsonNode c = JSON.readTree(file.toFile());
    if (c == null || !c.isObject()) {
      throw InvalidInputException.ofFile(file, "expected a JSON object (PEFT's LoraConfig)");
    }
    require(file, "LORA".equals(c.path("peft_type").asText()), "peft_type must be LORA, got " + c.get("peft_type"));
    require(file, c.path("r").isIntegralNumber(), "r must be an integer");
    require(file, c.path("lora_alpha").isNumber(), "lora_alpha must be a number");
    require(file, c.path("target_modules").isArray(), "target_modules must be a list of module names "
        + "(a regular expression or all-linear is not supported)");
    require(file, c.path("bias").asText("none").equals("none"), "bias must be none, got " + c.get("bias"));
    for (String flag : List.of("fan_in_fan_out", "use_rslora", "use_dora")) {
      require(file, !c.path(flag).asBoolean(false), flag + " must be false");
    }
    for (String pattern : List.of("rank_pattern", "alpha_pattern")) {
      require(file, c.path(pattern).isMissingNode() || c.path(pattern).isNull() || c.path(pattern).isEmpty(),
          pattern + " must be empty (one rank and alpha for every module)");
    }
    for (String none : List.of("layers_to_transform", "modules_to_save")) {
      require(file, c.path(none).isMissingNode() || c.path(none).isNull(), none + " must be null");
    }
    List<String> targets = new ArrayList<>();
    c.get("target_modules").forEach(t -> targets.add(t.asText()));
    try {
      return new LoraConfig(c.get("r").intValue(), c.get("lora_alpha").doubleValue(),
          c.path("lora_dropout").asDouble(0), targets);
    } catch (IllegalArgumentException e) {
      throw InvalidInputException.ofFile(file, e.getMessage());
    }
  }

  /**
   * Attaches the PEFT adapters saved in {@code dir} onto {@code model} (freezing its base): the
   * model then computes exactly what the model that saved them computed.
   */
  public static Lora load(LlamaModel model, Path dir) throws IOException {
    LoraConfig cfg = readConfig(dir);
    Path file = dir.resolve(WEIGHTS_FILE);
    Lora lora = Lora.attach(model, cfg);
    LlamaConfig mc = model.config();
    NDArray emb = model.tokEmbeddings().getArray();
    Map<String, NDArray> t = SafeTensors.read(file, n -> n, emb.getManager(), emb.getDevice(), DataType.FLOAT32);
    try {
      Map<String, Parameter> expected = new LinkedHashMap<>();
      for (Map.Entry<String, LoraAdapter> e : lora.adapters().entrySet()) {
        String module = moduleName(e.getKey());
        expected.put(module + ".lora_A.weight", e.getValue().loraA());
        expected.put(module + ".lora_B.weight", e.getValue().loraB());
      }
      if (!t.keySet().equals(expected.keySet())) {
        List<String> missing = expected.keySet().stream().filter(k -> !t.containsKey(k)).limit(3).toList();
        List<String> extra = t.keySet().stream().filter(k -> !expected.containsKey(k)).limit(3).toList();
        throw InvalidInputException.ofFile(file, "tensors do not match the adapter config and the model (expected "
            + expected.size() + ", found " + t.size() + "; missing e.g. " + missing + ", unexpected e.g. " + extra + ")");
      }
      for (Map.Entry<String, LoraAdapter> e : lora.adapters().entrySet()) {
        String module = moduleName(e.getKey());
        int heads = qkHeads(e.getKey(), mc);
        copy(file, module + ".lora_A.weight", t.get(module + ".lora_A.weight"), e.getValue().loraA(), 0, mc);
        copy(file, module + ".lora_B.weight", t.get(module + ".lora_B.weight"), e.getValue().loraB(), heads, mc);
      }
    } finally {
      t.values().forEach(NDArray::close);
    }
    return lora;
  }

  private static void copy(Path file, String name, NDArray src, Parameter dst, int heads, LlamaConfig mc) {
    NDArray target = dst.getArray();
    if (!src.getShape().equals(target.getShape())) {
      throw InvalidInputException.ofFile(file, "tensor " + name + " has shape " + src.getShape()
          + ", expected " + target.getShape() + " for this model and rank");
    }
    NDArray v = heads > 0 ? HuggingFaceLoader.halfToInterleaved(src, heads, mc.headDim()) : src;
    target.set(new NDIndex("..."), v.toDevice(target.getDevice(), false));
    if (v != src) {
      v.close();
    }
  }

  /** Heads whose rows a q/k adapter's B must be permuted over (interleaved RoPE only), else 0. */
  private static int qkHeads(String projection, LlamaConfig mc) {
    if (mc.ropeLayout() != RopeLayout.INTERLEAVED) {
      return 0;
    }
    if (projection.endsWith(".attention.wq")) {
      return mc.nHeads();
    }
    if (projection.endsWith(".attention.wk")) {
      return mc.nKvHeads();
    }
    return 0;
  }

  private static void require(Path file, boolean ok, String problem) {
    if (!ok) {
      throw InvalidInputException.ofFile(file, problem);
    }
  }
}

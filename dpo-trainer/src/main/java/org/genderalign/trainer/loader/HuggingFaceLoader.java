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
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.io.Hashing;
import org.genderalign.trainer.data.ChatTemplate;
import org.genderalign.trainer.model.LlamaConfig;
import org.genderalign.trainer.model.LlamaModel;
import org.genderalign.trainer.model.RopeLayout;
import org.genderalign.trainer.tokenizer.HuggingFaceTokenizer;
import org.genderalign.trainer.tokenizer.Llama2cTokenizer;
import org.genderalign.trainer.tokenizer.Tokenizer;

/**
 * Hugging Face folders of Llama-family models ({@code LlamaForCausalLM} and the same layout,
 * e.g. Mistral without sliding windows, TinyLlama): {@code config.json}, {@code model.safetensors}
 * or shards listed in {@code model.safetensors.index.json}, and {@code tokenizer.json} (or a
 * llama2.c {@code tokenizer.bin}, which {@link #save} writes for llama2.c vocabularies). RoPE is
 * {@link RopeLayout#HALF} (Hugging Face's rotate-half). Not supported, with a clear error: RoPE
 * scaling, attention/MLP biases (Qwen2), a head size other than {@code hidden/heads}.
 */
public final class HuggingFaceLoader {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\.(.+)");
  private static final Map<String, String> LAYER_NAMES = Map.of(
      "input_layernorm.weight", "attention_norm.weight",
      "self_attn.q_proj.weight", "attention.wq.weight",
      "self_attn.k_proj.weight", "attention.wk.weight",
      "self_attn.v_proj.weight", "attention.wv.weight",
      "self_attn.o_proj.weight", "attention.wo.weight",
      "post_attention_layernorm.weight", "ffn_norm.weight",
      "mlp.gate_proj.weight", "feed_forward.w1.weight",
      "mlp.down_proj.weight", "feed_forward.w2.weight",
      "mlp.up_proj.weight", "feed_forward.w3.weight");

  private HuggingFaceLoader() {}

  /** The config of a Hugging Face folder's {@code config.json}. */
  public static LlamaConfig readConfig(Path dir) throws IOException {
    Path f = dir.resolve("config.json");
    JsonNode c;
    try {
      c = JSON.readTree(f.toFile());
    } catch (IOException e) {
      throw InvalidInputException.ofFile(f, "not valid JSON: " + e.getMessage());
    }
    if (c == null || !c.isObject()) {
      throw InvalidInputException.ofFile(f, "expected a JSON object");
    }
    for (String required : new String[] {"hidden_size", "intermediate_size",
        "num_hidden_layers", "num_attention_heads", "vocab_size"}) {
      if (!c.path(required).isIntegralNumber() || !c.path(required).canConvertToInt()) {
        throw InvalidInputException.ofFile(f, "field " + required
            + ": expected an integer (is this a Llama-family config.json?)");
      }
    }
    if (c.hasNonNull("rope_scaling")) {
      throw InvalidInputException.ofFile(f, "field rope_scaling: RoPE scaling is not supported");
    }
    if (c.path("attention_bias").asBoolean(false) || c.path("mlp_bias").asBoolean(false)
        || c.path("model_type").asText("").startsWith("qwen")) {
      throw InvalidInputException.ofFile(f, "field model_type/attention_bias: models with "
          + "projection biases are not supported (Llama-family without biases only)");
    }
    int dim = c.path("hidden_size").asInt();
    int heads = c.path("num_attention_heads").asInt();
    if (c.has("head_dim") && c.path("head_dim").asInt() != dim / heads) {
      throw InvalidInputException.ofFile(f, "field head_dim: " + c.path("head_dim").asInt()
          + " differs from hidden_size / num_attention_heads = " + dim / heads);
    }
    try {
      return new LlamaConfig(dim, c.path("intermediate_size").asInt(),
          c.path("num_hidden_layers").asInt(), heads,
          c.path("num_key_value_heads").asInt(heads), c.path("vocab_size").asInt(),
          c.path("max_position_embeddings").asInt(2048),
          c.path("rope_theta").asDouble(LlamaConfig.DEFAULT_ROPE_THETA),
          c.path("rms_norm_eps").asDouble(1e-6), c.path("tie_word_embeddings").asBoolean(false),
          RopeLayout.HALF);
    } catch (IllegalArgumentException e) {
      throw InvalidInputException.ofFile(f, "invalid model config: " + e.getMessage());
    }
  }

  /** Loads the folder on {@code device} with weights in {@code type}. */
  public static LoadedModel load(Path dir, Device device, DataType type) throws IOException {
    return load(dir, device, type, Set.of(), null);
  }

  /**
   * Loads a folder whose top-level tensors include {@code headNames} besides the Llama base (the
   * {@code score.weight} of a {@code LlamaForSequenceClassification}): those are put into
   * {@code heads} instead of the model, and no {@code lm_head} is expected — the returned block's
   * config says tied embeddings, since its output head is never used.
   *
   * @param headNames tensor names to keep aside (empty: a plain causal LM)
   * @param heads receives the tensors named in {@code headNames}, in {@code type} on {@code device}
   */
  public static LoadedModel load(Path dir, Device device, DataType type, Set<String> headNames,
      Map<String, NDArray> heads) throws IOException {
    LlamaConfig config = readConfig(dir);
    if (!headNames.isEmpty()) {
      config = config.toBuilder().tiedEmbeddings(true).build();
    }
    final LlamaConfig cfgFinal = config;
    JsonNode cfg = JSON.readTree(dir.resolve("config.json").toFile());
    Map<Path, Boolean> shards = new LinkedHashMap<>();
    Path single = dir.resolve("model.safetensors");
    Path index = dir.resolve("model.safetensors.index.json");
    if (Files.isRegularFile(single)) {
      shards.put(single, true);
    } else if (Files.isRegularFile(index)) {
      JsonNode map = JSON.readTree(index.toFile()).path("weight_map");
      if (!map.isObject() || map.isEmpty()) {
        throw InvalidInputException.ofFile(index, "field weight_map: expected name → file");
      }
      TreeSet<String> names = new TreeSet<>();
      map.forEach(n -> names.add(n.asText()));
      names.forEach(name -> shards.put(dir.resolve(name), true));
    } else {
      throw InvalidInputException.ofFile(dir,
          "no model.safetensors or model.safetensors.index.json");
    }
    // every shard's header against the config before a weight is read or the model built
    Map<String, ai.djl.ndarray.types.Shape> declared = new LinkedHashMap<>();
    for (Path shard : shards.keySet()) {
      if (!Files.isRegularFile(shard)) {
        throw InvalidInputException.ofFile(shard, "shard listed in the index is missing");
      }
      for (SafeTensors.Entry e : SafeTensors.header(shard).values()) {
        if (headNames.contains(e.name())) {
          continue; // a classification head, checked by its owner
        }
        String name = rename(shard, e.name(), config);
        if (name != null && declared.put(name, e.shape()) != null) {
          throw InvalidInputException.ofFile(shard, "tensor " + e.name() + " is given twice");
        }
      }
    }
    WeightCheck.check(dir, config, declared);
    Tokenizer tok = tokenizer(dir, cfg);
    Model model = Model.newInstance("llama", device);
    try {
      Map<String, NDArray> weights = new LinkedHashMap<>();
      Map<String, String> files = new LinkedHashMap<>();
      for (Path shard : shards.keySet()) {
        if (!Files.isRegularFile(shard)) {
          throw InvalidInputException.ofFile(shard, "shard listed in the index is missing");
        }
        for (Map.Entry<String, NDArray> e : SafeTensors.read(shard,
            n -> headNames.contains(n) ? n : rename(shard, n, cfgFinal), model.getNDManager(), device, type)
            .entrySet()) {
          if (headNames.contains(e.getKey())) {
            heads.put(e.getKey(), e.getValue());
          } else {
            weights.put(e.getKey(), e.getValue());
          }
        }
        files.put(shard.getFileName().toString(), Hashing.sha256(shard));
      }
      Path tokFile = tok instanceof HuggingFaceTokenizer h ? h.file() : dir.resolve("tokenizer.bin");
      files.put(tokFile.getFileName().toString(), Hashing.sha256(tokFile));
      ChatTemplate chat = readChatTemplate(dir).orElse(null);
      for (String f : new String[] {TOKENIZER_CONFIG, CHAT_TEMPLATE_FILE}) {
        if (Files.isRegularFile(dir.resolve(f))) {
          files.put(f, Hashing.sha256(dir.resolve(f))); // it decides how prompts look
        }
      }
      LlamaModel block = new LlamaModel(config);
      try {
        block.loadWeights(weights);
      } catch (IllegalArgumentException e) {
        throw InvalidInputException.ofFile(dir, e.getMessage());
      }
      model.setBlock(block);
      return new LoadedModel(model, block, tok, new ModelSource("huggingface", dir.toString(),
          files), chat);
    } catch (RuntimeException | IOException e) {
      model.close();
      if (tok instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception s) {
          e.addSuppressed(s);
        }
      }
      throw e;
    }
  }

  /** The tokenizer settings file of a Hugging Face folder (it holds {@code chat_template}). */
  public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
  /** Newer exports keep the chat template in its own file beside the tokenizer config. */
  public static final String CHAT_TEMPLATE_FILE = "chat_template.jinja";

  /**
   * The folder's own chat template: {@code chat_template.jinja} if present, else
   * {@code chat_template} of {@code tokenizer_config.json} (with that file's
   * {@code bos_token}/{@code eos_token} either way); empty when it has none.
   */
  public static java.util.Optional<ChatTemplate> readChatTemplate(Path dir) throws IOException {
    Path cfg = dir.resolve(TOKENIZER_CONFIG);
    Path jinja = dir.resolve(CHAT_TEMPLATE_FILE);
    if (Files.isRegularFile(jinja)) {
      ChatTemplate tokens = Files.isRegularFile(cfg) ? ChatTemplate.tokensOf(cfg)
          : new ChatTemplate("", "", "");
      return java.util.Optional.of(new ChatTemplate(Files.readString(jinja), tokens.bosToken(),
          tokens.eosToken()));
    }
    return Files.isRegularFile(cfg) ? ChatTemplate.fromTokenizerConfig(cfg)
        : java.util.Optional.empty();
  }

  private static Tokenizer tokenizer(Path dir, JsonNode cfg) throws IOException {
    if (Files.isRegularFile(dir.resolve("tokenizer.json"))) {
      Integer bos = cfg.path("bos_token_id").isInt() ? cfg.path("bos_token_id").asInt() : null;
      JsonNode e = cfg.path("eos_token_id");
      Integer eos = e.isInt() ? Integer.valueOf(e.asInt())
          : e.isArray() && !e.isEmpty() ? Integer.valueOf(e.get(0).asInt()) : null;
      return HuggingFaceTokenizer.load(dir.resolve("tokenizer.json"), bos, eos);
    }
    if (Files.isRegularFile(dir.resolve("tokenizer.bin"))) {
      return Llama2cTokenizer.load(dir.resolve("tokenizer.bin"));
    }
    throw InvalidInputException.ofFile(dir, "no tokenizer.json (or llama2.c tokenizer.bin)");
  }

  /** Hugging Face name → llama2.c name; null to skip; unknown names are errors. */
  private static String rename(Path file, String name, LlamaConfig c) {
    switch (name) {
      case "model.embed_tokens.weight":
        return "tok_embeddings.weight";
      case "model.norm.weight":
        return "norm.weight";
      case "lm_head.weight":
        return c.tiedEmbeddings() ? null : "output.weight";
      default:
        break;
    }
    Matcher m = LAYER.matcher(name);
    if (m.matches()) {
      if (m.group(2).endsWith("rotary_emb.inv_freq")) {
        return null; // a buffer some exports keep; recomputed from rope_theta
      }
      String mapped = LAYER_NAMES.get(m.group(2));
      if (mapped != null) {
        return "layers." + m.group(1) + "." + mapped;
      }
    }
    throw InvalidInputException.ofFile(file, "tensor " + name
        + " is not part of a Llama model (biases and other extras are not supported)");
  }

  /**
   * Writes {@code block} as a Hugging Face Llama folder ({@code config.json},
   * {@code model.safetensors}) with its tokenizer ({@code tokenizer.json} copied, or llama2.c
   * {@code tokenizer.bin}). Interleaved-RoPE weights are permuted to rotate-half, as Hugging
   * Face's own conversion script does, so that the folder loads as a standard Llama.
   */
  public static void save(LlamaModel block, Tokenizer tokenizer, Path dir) throws IOException {
    save(block, tokenizer, dir, "LlamaForCausalLM", true, Map.of(), Map.of());
  }

  /**
   * Writes {@code block} as a Hugging Face folder of architecture {@code architecture}: the base
   * weights under their {@code model.*} names (permuted to rotate-half RoPE if needed), the
   * output head as {@code lm_head.weight} only if {@code withLmHead} (and untied), the
   * {@code extraTensors} (e.g. {@code score.weight}) as they are, and {@code extraConfig} added to
   * {@code config.json} (e.g. {@code pad_token_id}, {@code id2label}).
   */
  public static void save(LlamaModel block, Tokenizer tokenizer, Path dir, String architecture,
      boolean withLmHead, Map<String, NDArray> extraTensors, Map<String, Object> extraConfig)
      throws IOException {
    LlamaConfig c = block.config();
    Files.createDirectories(dir);
    ObjectNode cfg = JSON.createObjectNode();
    cfg.putArray("architectures").add(architecture);
    cfg.put("model_type", "llama");
    cfg.put("hidden_size", c.dim());
    cfg.put("intermediate_size", c.hiddenDim());
    cfg.put("num_hidden_layers", c.nLayers());
    cfg.put("num_attention_heads", c.nHeads());
    cfg.put("num_key_value_heads", c.nKvHeads());
    cfg.put("vocab_size", c.vocabSize());
    cfg.put("max_position_embeddings", c.maxSeqLen());
    cfg.put("rope_theta", c.ropeTheta());
    cfg.put("rms_norm_eps", c.normEps());
    cfg.put("tie_word_embeddings", c.tiedEmbeddings());
    cfg.put("hidden_act", "silu");
    if (tokenizer.bosId() >= 0) {
      cfg.put("bos_token_id", tokenizer.bosId());
    }
    if (tokenizer.eosId() >= 0) {
      cfg.put("eos_token_id", tokenizer.eosId());
    }
    cfg.put("torch_dtype", "float32");
    extraConfig.forEach((k, v) -> cfg.set(k, JSON.valueToTree(v)));
    AtomicFiles.writeString(dir.resolve("config.json"), JSON.writeValueAsString(cfg));

    Map<String, String> back = new LinkedHashMap<>();
    LAYER_NAMES.forEach((hf, ours) -> back.put(ours, hf));
    Map<String, NDArray> out = new LinkedHashMap<>();
    boolean permute = c.ropeLayout() == RopeLayout.INTERLEAVED;
    for (Map.Entry<String, ai.djl.nn.Parameter> e : block.namedParameters().entrySet()) {
      String name = e.getKey();
      NDArray w = e.getValue().getArray();
      String hf;
      if (name.equals("tok_embeddings.weight")) {
        hf = "model.embed_tokens.weight";
      } else if (name.equals("norm.weight")) {
        hf = "model.norm.weight";
      } else if (name.equals("output.weight")) {
        if (!withLmHead) {
          continue;
        }
        hf = "lm_head.weight";
      } else {
        int dot = name.indexOf('.', "layers.".length());
        String layer = name.substring("layers.".length(), dot);
        String rest = name.substring(dot + 1);
        hf = "model.layers." + layer + "." + back.get(rest);
        if (permute && rest.equals("attention.wq.weight")) {
          w = interleavedToHalf(w, c.nHeads(), c.headDim());
        } else if (permute && rest.equals("attention.wk.weight")) {
          w = interleavedToHalf(w, c.nKvHeads(), c.headDim());
        }
      }
      out.put(hf, w);
    }
    out.putAll(extraTensors);
    SafeTensors.write(dir.resolve("model.safetensors"), out, Map.of("format", "pt"));
    if (permute) {
      // the permuted copies are temporaries; the parameters and extra tensors are untouched
      Map<String, ai.djl.nn.Parameter> params = block.namedParameters();
      out.values().stream()
          .filter(a -> params.values().stream().noneMatch(p -> p.getArray() == a))
          .filter(a -> !extraTensors.containsValue(a))
          .forEach(NDArray::close);
    }
    if (tokenizer instanceof HuggingFaceTokenizer h) {
      if (!h.file().equals(dir.resolve("tokenizer.json").toAbsolutePath())) {
        Files.copy(h.file(), dir.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
      }
    } else if (tokenizer instanceof Llama2cTokenizer t) {
      t.save(dir.resolve("tokenizer.bin"));
    } else {
      throw new IllegalArgumentException("cannot save tokenizer " + tokenizer.describe());
    }
  }

  /**
   * Reorders the rows of each head of a query/key projection {@code (heads·hd, in)} from pairs
   * {@code (2i, 2i+1)} to pairs {@code (i, i+hd/2)}: row {@code 2i} → {@code i}, {@code 2i+1} →
   * {@code i + hd/2} (Hugging Face's {@code permute} in convert_llama_weights_to_hf.py).
   */
  public static NDArray interleavedToHalf(NDArray w, int heads, int headDim) {
    long in = w.getShape().get(1);
    return w.reshape(heads, headDim / 2, 2, in).transpose(0, 2, 1, 3)
        .reshape((long) heads * headDim, in);
  }

  /** The inverse of {@link #interleavedToHalf}: row {@code i} → {@code 2i}, {@code i + hd/2} → {@code 2i+1}. */
  public static NDArray halfToInterleaved(NDArray w, int heads, int headDim) {
    long in = w.getShape().get(1);
    return w.reshape(heads, 2, headDim / 2, in).transpose(0, 2, 1, 3)
        .reshape((long) heads * headDim, in);
  }
}

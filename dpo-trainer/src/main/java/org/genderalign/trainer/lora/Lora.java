package org.genderalign.trainer.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.checkpoint.TensorFile;
import org.genderalign.trainer.model.LlamaModel;
import org.genderalign.trainer.model.Projection;

/**
 * Puts LoRA adapters on a {@link LlamaModel}, freezes the base, switches adapters on and off,
 * saves them alone ({@code adapter_config.json} + {@code adapter.tensors}; {@link PeftAdapters}
 * writes and reads Hugging Face PEFT's layout), loads them onto a base, and merges them into the
 * base weights.
 */
public final class Lora {

  public static final String CONFIG_FILE = "adapter_config.json";
  public static final String WEIGHTS_FILE = "adapter.tensors";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final LlamaModel model;
  private final LoraConfig config;
  private final Map<String, LoraAdapter> adapters;

  private Lora(LlamaModel model, LoraConfig config, Map<String, LoraAdapter> adapters) {
    this.model = model;
    this.config = config;
    this.adapters = adapters;
  }

  /**
   * Attaches fresh adapters to every target projection of an initialised model and freezes all
   * base weights. Adapter A matrices are drawn from the engine's current random seed.
   */
  public static Lora attach(LlamaModel model, LoraConfig config) {
    Map<String, LoraAdapter> adapters = new LinkedHashMap<>();
    for (Map.Entry<String, Projection> e : model.projections().entrySet()) {
      if (config.targets(e.getKey())) {
        LoraAdapter a = new LoraAdapter(e.getKey(), config.rank(), config.scaling(), config.dropout());
        e.getValue().setAdapter(a);
        adapters.put(e.getKey(), a);
      }
    }
    if (adapters.isEmpty()) {
      throw new IllegalArgumentException("no projection matches the LoRA targets " + config.targets());
    }
    freezeBase(model);
    return new Lora(model, config, adapters);
  }

  /** Stops gradients to every base weight (LoRA trains the adapters only). */
  public static void freezeBase(LlamaModel model) {
    for (Parameter p : model.namedParameters().values()) {
      p.getArray().setRequiresGradient(false);
    }
  }

  public LoraConfig config() {
    return config;
  }

  /** The model the adapters are attached to. */
  LlamaModel model() {
    return model;
  }

  public Map<String, LoraAdapter> adapters() {
    return java.util.Collections.unmodifiableMap(adapters);
  }

  /** Trainable parameters: {@code <projection>.lora_A}, {@code <projection>.lora_B}. */
  public Map<String, Parameter> parameters() {
    Map<String, Parameter> m = new LinkedHashMap<>();
    adapters.forEach((k, a) -> {
      m.put(k + ".lora_A", a.loraA());
      m.put(k + ".lora_B", a.loraB());
    });
    return m;
  }

  /** Switches every adapter on (policy) or off (the reference model: the base exactly). */
  public void setEnabled(boolean on) {
    adapters.values().forEach(a -> a.setEnabled(on));
  }

  /**
   * Makes every adapter add nothing while staying attached (the reference pass of DPO with
   * LoRA): unlike {@link #setEnabled}, the forward pass takes the same code path as the policy's.
   */
  public void setBypassed(boolean on) {
    adapters.values().forEach(a -> a.setBypassed(on));
  }

  /** Writes the adapters alone into {@code dir}. */
  public void save(Path dir, Provenance provenance) throws IOException {
    Files.createDirectories(dir);
    Map<String, NDArray> t = new LinkedHashMap<>();
    parameters().forEach((k, p) -> t.put(k, p.getArray()));
    TensorFile.write(dir.resolve(WEIGHTS_FILE), t);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("rank", config.rank());
    meta.put("alpha", config.alpha());
    meta.put("dropout", config.dropout());
    meta.put("targets", config.targets());
    meta.put("provenance", provenance);
    JSON.writeValue(dir.resolve(CONFIG_FILE).toFile(), meta);
  }

  /** Reads an adapter folder's config. */
  public static LoraConfig readConfig(Path dir) throws IOException {
    Map<?, ?> meta = JSON.readValue(dir.resolve(CONFIG_FILE).toFile(), Map.class);
    @SuppressWarnings("unchecked")
    List<String> targets = (List<String>) meta.get("targets");
    return new LoraConfig(((Number) meta.get("rank")).intValue(), ((Number) meta.get("alpha")).doubleValue(),
        ((Number) meta.get("dropout")).doubleValue(), targets);
  }

  /** Attaches the adapters saved in {@code dir} onto {@code model} (whose base is frozen). */
  public static Lora load(LlamaModel model, Path dir) throws IOException {
    LoraConfig cfg = readConfig(dir);
    Lora lora = attach(model, cfg);
    NDManager m = model.tokEmbeddings().getArray().getManager();
    Map<String, NDArray> t = TensorFile.read(dir.resolve(WEIGHTS_FILE), m, null);
    Map<String, Parameter> params = lora.parameters();
    if (!t.keySet().equals(params.keySet())) {
      throw new IllegalArgumentException(dir + ": adapter weights do not match the model (expected "
          + params.size() + " tensors, found " + t.size() + ")");
    }
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      NDArray target = e.getValue().getArray();
      NDArray src = t.get(e.getKey());
      if (!src.getShape().equals(target.getShape())) {
        throw new IllegalArgumentException(dir + ": " + e.getKey() + " has shape " + src.getShape()
            + ", expected " + target.getShape());
      }
      target.set(new NDIndex("..."), src.toDevice(target.getDevice(), false));
      src.close();
    }
    return lora;
  }

  /**
   * Adds every adapter's (α/r)·B·A into its projection's weight and detaches the adapters: the
   * model then computes what it computed with adapters on, with no adapter left.
   */
  public void merge() {
    Map<String, Projection> projections = model.projections();
    for (Map.Entry<String, LoraAdapter> e : adapters.entrySet()) {
      Projection p = projections.get(e.getKey());
      NDArray w = p.weight().getArray();
      try (NDManager tmp = w.getManager().newSubManager()) {
        NDArray d = e.getValue().delta();
        d.attach(tmp);
        NDArray merged = w.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).add(d)
            .toType(w.getDataType(), false);
        merged.attach(tmp);
        w.set(new NDIndex("..."), merged);
      }
      p.setAdapter(null);
    }
  }
}

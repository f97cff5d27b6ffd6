package org.genderalign.trainer.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.dpo.DpoFixtures;
import org.genderalign.trainer.dpo.DpoTrainer;
import org.genderalign.trainer.loader.HuggingFaceLoader;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.SafeTensors;
import org.genderalign.trainer.model.LlamaConfig;
import org.genderalign.trainer.training.PolicyModel;
import org.genderalign.trainer.training.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRA adapters in PEFT's layout, checked against PEFT's source (huggingface/peft at commit
 * 5d602fdbff04c33c1c4de55cda9d4ae1d7cb7e40; /usr/bin/python3 here has no {@code peft} package):
 * <ul>
 *   <li>file names: {@code src/peft/utils/constants.py} — {@code CONFIG_NAME =
 *       "adapter_config.json"}, {@code SAFETENSORS_WEIGHTS_NAME = "adapter_model.safetensors"};</li>
 *   <li>tensor names: {@code src/peft/utils/save_and_load.py} {@code get_peft_model_state_dict}
 *       keeps the {@code PeftModel}'s parameter names ({@code base_model.model.} + the
 *       transformers module path) and removes the adapter name, giving
 *       {@code base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight};</li>
 *   <li>shapes: {@code src/peft/tuners/lora/layer.py} — {@code lora_A = nn.Linear(in_features, r)}
 *       (weight {@code (r, in)}), {@code lora_B = nn.Linear(r, out_features)} (weight
 *       {@code (out, r)}), {@code scaling = lora_alpha / r};</li>
 *   <li>config keys: {@code src/peft/tuners/lora/config.py} ({@code r, lora_alpha, lora_dropout,
 *       target_modules, bias, fan_in_fan_out, use_rslora, use_dora, …}) and
 *       {@code src/peft/config.py} ({@code peft_type, task_type, base_model_name_or_path,
 *       revision, inference_mode}).</li>
 * </ul>
 */
class PeftAdaptersTest {

  @TempDir static Path tmp;
  static Path out;

  static final int[] IDS = {1, 400, 300, 200, 100, 50, 260, 270};

  /** A few DPO steps with LoRA on a tiny model: the trainer writes final/adapter and final/adapter-peft. */
  @BeforeAll
  static void train() throws Exception {
    out = tmp.resolve("lora");
    DpoTrainer.run(DpoFixtures.run(out, DpoFixtures.training(4, 0), DpoFixtures.lora(), false, null, false),
        () -> TinyModels.tiny(3), DpoFixtures.pairs(8), List.of(), Provenance.of("test", null, 5L), null);
  }

  private static Path peft() {
    return out.resolve("final/" + PolicyModel.PEFT_ADAPTER_DIR);
  }

  @Test
  void writesPeftsFilesNamesAndShapes() throws Exception {
    assertThat(peft().resolve("adapter_config.json")).isRegularFile();
    assertThat(peft().resolve("adapter_model.safetensors")).isRegularFile();
    JsonNode c = new ObjectMapper().readTree(peft().resolve("adapter_config.json").toFile());
    assertThat(c.get("peft_type").asText()).isEqualTo("LORA");
    assertThat(c.get("task_type").asText()).isEqualTo("CAUSAL_LM");
    assertThat(c.get("r").asInt()).isEqualTo(4);
    assertThat(c.get("lora_alpha").isIntegralNumber()).isTrue();
    assertThat(c.get("lora_alpha").asInt()).isEqualTo(8);
    assertThat(c.get("lora_dropout").asDouble()).isEqualTo(0.1);
    assertThat(c.get("bias").asText()).isEqualTo("none");
    assertThat(c.get("fan_in_fan_out").asBoolean()).isFalse();
    assertThat(c.get("base_model_name_or_path").isTextual()).isTrue();
    List<String> targets = new ObjectMapper().convertValue(c.get("target_modules"), List.class);
    assertThat(targets).containsExactly("down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj");

    Map<String, SafeTensors.Entry> h = SafeTensors.header(peft().resolve("adapter_model.safetensors"));
    assertThat(SafeTensors.metadata(peft().resolve("adapter_model.safetensors"))).containsEntry("format", "pt");
    LlamaConfig mc = TinyModels.tinyConfig(); // dim 16, hidden 32, kv dim 8, 2 layers
    Map<String, long[]> inOut = Map.of("self_attn.q_proj", new long[] {16, 16}, "self_attn.k_proj", new long[] {16, 8},
        "self_attn.v_proj", new long[] {16, 8}, "self_attn.o_proj", new long[] {16, 16},
        "mlp.gate_proj", new long[] {16, 32}, "mlp.up_proj", new long[] {16, 32}, "mlp.down_proj", new long[] {32, 16});
    TreeSet<String> expected = new TreeSet<>();
    for (int layer = 0; layer < mc.nLayers(); layer++) {
      for (Map.Entry<String, long[]> m : inOut.entrySet()) {
        String base = "base_model.model.model.layers." + layer + "." + m.getKey();
        expected.add(base + ".lora_A.weight");
        expected.add(base + ".lora_B.weight");
        assertThat(h.get(base + ".lora_A.weight").shape()).isEqualTo(new Shape(4, m.getValue()[0])); // (r, in)
        assertThat(h.get(base + ".lora_B.weight").shape()).isEqualTo(new Shape(m.getValue()[1], 4)); // (out, r)
        assertThat(h.get(base + ".lora_A.weight").type()).isEqualTo(DataType.FLOAT32);
      }
    }
    assertThat(new TreeSet<>(h.keySet())).isEqualTo(expected);
    assertThat(PeftAdapters.moduleName("output")).isEqualTo("base_model.model.lm_head");
    assertThat(PeftAdapters.moduleName("layers.11.feed_forward.w2"))
        .isEqualTo("base_model.model.model.layers.11.mlp.down_proj");
  }

  @Test
  void loadsBackBitIdenticallyIntoAFreshModel() throws Exception {
    float[] base;
    float[] ours;
    float[] fromPeft;
    try (LoadedModel m = TinyModels.tiny(3); NDManager sm = m.manager().newSubManager()) {
      NDArray x = sm.create(IDS).reshape(1, IDS.length);
      base = m.block().logits(x).toFloatArray();
      Lora.load(m.block(), out.resolve("final/" + PolicyModel.ADAPTER_DIR));
      ours = m.block().logits(x).toFloatArray();
    }
    try (LoadedModel m = TinyModels.tiny(3); NDManager sm = m.manager().newSubManager()) {
      NDArray x = sm.create(IDS).reshape(1, IDS.length);
      Lora lora = PeftAdapters.load(m.block(), peft());
      fromPeft = m.block().logits(x).toFloatArray();
      LoraConfig want = DpoFixtures.lora();
      assertThat(lora.config().rank()).isEqualTo(want.rank());
      assertThat(lora.config().alpha()).isEqualTo(want.alpha());
      assertThat(lora.config().dropout()).isEqualTo(want.dropout());
      assertThat(lora.config().targets()).containsExactlyInAnyOrderElementsOf(want.targets());
      // the adapter weights themselves are bit-identical to the project-format ones
      try (LoadedModel o = TinyModels.tiny(3)) {
        Lora own = Lora.load(o.block(), out.resolve("final/" + PolicyModel.ADAPTER_DIR));
        own.parameters().forEach((k, p) -> assertThat(lora.parameters().get(k).getArray().toFloatArray())
            .as(k).containsExactly(p.getArray().toFloatArray()));
      }
    }
    assertThat(fromPeft).containsExactly(ours);
    assertThat(fromPeft).isNotEqualTo(base); // the training moved the adapters
  }

  /**
   * The adapter fits the Hugging Face export of the base (rotate-half RoPE, q/k rows permuted):
   * base exported with {@link HuggingFaceLoader#save}, loaded back as a Hugging Face model, plus
   * the PEFT adapter, computes what the llama2.c-layout model with the adapter computes.
   */
  @Test
  void fitsTheHuggingFaceExportOfTheBase() throws Exception {
    Path hf = tmp.resolve("hf-base");
    try (LoadedModel m = TinyModels.tiny(3)) {
      HuggingFaceLoader.save(m.block(), m.tokenizer(), hf);
    }
    float[] interleaved;
    try (LoadedModel m = TinyModels.tiny(3); NDManager sm = m.manager().newSubManager()) {
      PeftAdapters.load(m.block(), peft());
      interleaved = m.block().logits(sm.create(IDS).reshape(1, IDS.length)).toFloatArray();
    }
    try (LoadedModel m = HuggingFaceLoader.load(hf, Device.cpu(), DataType.FLOAT32);
        NDManager sm = m.manager().newSubManager()) {
      float[] before = m.block().logits(sm.create(IDS).reshape(1, IDS.length)).toFloatArray();
      PeftAdapters.load(m.block(), peft());
      float[] half = m.block().logits(sm.create(IDS).reshape(1, IDS.length)).toFloatArray();
      double diff = 0;
      double moved = 0;
      for (int i = 0; i < half.length; i++) {
        diff = Math.max(diff, Math.abs(half[i] - interleaved[i]));
        moved = Math.max(moved, Math.abs(half[i] - before[i]));
      }
      assertThat(diff).isLessThan(1e-5);
      assertThat(moved).isGreaterThan(1e-4);
    }
  }

  @Test
  void refusesSettingsItCannotApplyWithTheFileNamed() throws Exception {
    Path bad = tmp.resolve("bad");
    Files.createDirectories(bad);
    Files.copy(peft().resolve("adapter_model.safetensors"), bad.resolve("adapter_model.safetensors"));
    String cfg = Files.readString(peft().resolve("adapter_config.json"));
    Files.writeString(bad.resolve("adapter_config.json"), cfg.replace("\"use_dora\" : false", "\"use_dora\" : true"));
    try (LoadedModel m = TinyModels.tiny(3)) {
      assertThatThrownBy(() -> PeftAdapters.load(m.block(), bad)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("adapter_config.json").hasMessageContaining("use_dora must be false");
    }
    Files.writeString(bad.resolve("adapter_config.json"), cfg.replace("\"r\" : 4", "\"r\" : 2"));
    try (LoadedModel m = TinyModels.tiny(3)) {
      assertThatThrownBy(() -> PeftAdapters.load(m.block(), bad)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("has shape (4, 16), expected (2, 16)");
    }
  }
}

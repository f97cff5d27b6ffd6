package org.genderalign.trainer.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.NormalInitializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.model.LlamaConfig;
import org.genderalign.trainer.model.LlamaModel;
import org.genderalign.trainer.model.RopeLayout;
import org.genderalign.trainer.tokenizer.HuggingFaceTokenizer;
import org.genderalign.trainer.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LoaderRoundTripTest {

  static final int[] TOKENS = {1, 5, 9, 3, 17, 33, 2, 8, 40, 12, 7, 7, 60, 4};

  /** A tiny word-level tokenizer.json, enough for DJL's native tokenizer to load. */
  static Path writeTokenizerJson(Path dir, int vocab) throws Exception {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("<unk>", 0);
    v.put("<s>", 1);
    v.put("</s>", 2);
    for (int i = 3; i < vocab; i++) {
      v.put("w" + i, i);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("version", "1.0");
    root.put("added_tokens", java.util.List.of(special(0, "<unk>"), special(1, "<s>"),
        special(2, "</s>")));
    root.put("normalizer", null);
    root.put("pre_tokenizer", Map.of("type", "Whitespace"));
    root.put("post_processor", null);
    root.put("decoder", null);
    root.put("model", Map.of("type", "WordLevel", "vocab", v, "unk_token", "<unk>"));
    Path f = dir.resolve("tokenizer.json");
    new ObjectMapper().writeValue(f.toFile(), root);
    return f;
  }

  private static Map<String, Object> special(int id, String content) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("content", content);
    m.put("single_word", false);
    m.put("lstrip", false);
    m.put("rstrip", false);
    m.put("normalized", false);
    m.put("special", true);
    return m;
  }

  static Model randomModel(LlamaConfig c, long seed) {
    Model model = Model.newInstance("t");
    LlamaModel block = new LlamaModel(c);
    block.setInitializer(new NormalInitializer(0.3f), Parameter.Type.WEIGHT);
    Engine.getInstance().setRandomSeed((int) seed);
    block.initializeRandom(model.getNDManager(), DataType.FLOAT32);
    model.setBlock(block);
    return model;
  }

  static float[] logits(LlamaModel block, NDManager parent) {
    try (NDManager m = parent.newSubManager()) {
      return block.logits(m.create(TOKENS).reshape(1, TOKENS.length)).toFloatArray();
    }
  }

  static float maxDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    float m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  @Test
  void tinyRandomLlamaInHuggingFaceFormLoadsWithIdenticalLogits(@TempDir Path dir)
      throws Exception {
    // rotate-half layout, grouped-query attention (8 heads over 2 KV heads), separate head
    LlamaConfig c = new LlamaConfig(64, 96, 2, 8, 2, 70, 128, 50000.0, 1e-6, false,
        RopeLayout.HALF);
    try (Model m = randomModel(c, 5)) {
      LlamaModel block = (LlamaModel) m.getBlock();
      float[] want = logits(block, m.getNDManager());
      writeTokenizerJson(dir, 70);
      try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.load(dir.resolve("tokenizer.json"),
          null, null)) {
        HuggingFaceLoader.save(block, tok, dir.resolve("hf"));
      }
      try (LoadedModel back = ModelLoader.load(dir.resolve("hf").toString(),
          DataRoot.fromEnvironment(), Device.cpu())) {
        assertThat(back.config()).isEqualTo(c);
        assertThat(back.source().format()).isEqualTo("huggingface");
        assertThat(logits(back.block(), back.manager())).containsExactly(want);
        Tokenizer t = back.tokenizer();
        assertThat(t.bosId()).isEqualTo(1);
        assertThat(t.eosId()).isEqualTo(2);
        assertThat(t.encode("w5 w9")).containsExactly(5, 9);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(RopeLayout.class)
  void shardedFolderWithIndexLoadsAndInterleavedWeightsArePermuted(RopeLayout layout,
      @TempDir Path dir) throws Exception {
    LlamaConfig c = new LlamaConfig(32, 48, 2, 4, 2, 70, 64, 10000.0, 1e-5, true, layout);
    try (Model m = randomModel(c, 9)) {
      LlamaModel block = (LlamaModel) m.getBlock();
      float[] want = logits(block, m.getNDManager());
      writeTokenizerJson(dir, 70);
      Path hf = dir.resolve("hf");
      try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.load(dir.resolve("tokenizer.json"),
          null, null)) {
        HuggingFaceLoader.save(block, tok, hf);
      }
      // split the single file into two shards with an index
      Map<String, SafeTensors.Entry> entries = SafeTensors.header(hf.resolve("model.safetensors"));
      try (NDManager mm = NDManager.newBaseManager()) {
        Map<String, NDArray> all = SafeTensors.read(hf.resolve("model.safetensors"), n -> n, mm,
            Device.cpu(), DataType.FLOAT32);
        Map<String, NDArray> a = new LinkedHashMap<>();
        Map<String, NDArray> b = new LinkedHashMap<>();
        Map<String, String> weightMap = new LinkedHashMap<>();
        int i = 0;
        for (String name : entries.keySet()) {
          boolean first = i++ % 2 == 0;
          (first ? a : b).put(name, all.get(name));
          weightMap.put(name, first ? "model-00001-of-00002.safetensors"
              : "model-00002-of-00002.safetensors");
        }
        SafeTensors.write(hf.resolve("model-00001-of-00002.safetensors"), a, Map.of());
        SafeTensors.write(hf.resolve("model-00002-of-00002.safetensors"), b, Map.of());
        new ObjectMapper().writeValue(hf.resolve("model.safetensors.index.json").toFile(),
            Map.of("metadata", Map.of(), "weight_map", weightMap));
      }
      Files.delete(hf.resolve("model.safetensors"));
      try (LoadedModel back = ModelLoader.load(hf.toString(), DataRoot.fromEnvironment(),
          Device.cpu())) {
        assertThat(back.config().ropeLayout()).isEqualTo(RopeLayout.HALF);
        assertThat(back.source().files()).containsKeys("model-00001-of-00002.safetensors",
            "model-00002-of-00002.safetensors");
        // interleaved weights were permuted to rotate-half: same function, same logits
        assertThat(maxDiff(logits(back.block(), back.manager()), want)).isLessThan(1e-5f);
      }
    }
  }

  @Test
  void stories260KSavesToTheOwnCheckpointFormatAndLoadsBackIdentically(@TempDir Path dir)
      throws Exception {
    DataRoot root = DataRoot.fromEnvironment();
    try (LoadedModel m = ModelLoader.load("stories260K", root, Device.cpu())) {
      float[] want = logits(m.block(), m.manager());
      ModelCheckpoint.save(m, dir.resolve("ckpt"), Provenance.of("test", m.config(), 1L));
      assertThat(dir.resolve("ckpt/provenance.json")).exists();
      assertThat(Files.readString(dir.resolve("ckpt/provenance.json")))
          .contains("model.safetensors").contains("base:stories260K.bin");
      try (LoadedModel back = ModelLoader.load(dir.resolve("ckpt").toString(), root,
          Device.cpu())) {
        assertThat(back.source().format()).isEqualTo("checkpoint");
        assertThat(back.config()).isEqualTo(m.config());
        assertThat(logits(back.block(), back.manager())).containsExactly(want);
        assertThat(back.tokenizer().encode("Once upon a time"))
            .containsExactly(m.tokenizer().encode("Once upon a time"));
      }
    }
  }

  @Test
  void ggufStories260KEqualsTheLlama2cCheckpoint() throws Exception {
    DataRoot root = DataRoot.fromEnvironment();
    try (LoadedModel bin = ModelLoader.load("stories260K", root, Device.cpu());
        LoadedModel gguf = ModelLoader.load("stories260K-gguf", root, Device.cpu())) {
      assertThat(gguf.config().dim()).isEqualTo(64);
      assertThat(gguf.config().nKvHeads()).isEqualTo(4);
      assertThat(gguf.config().ropeLayout()).isEqualTo(RopeLayout.INTERLEAVED);
      assertThat(maxDiff(logits(gguf.block(), gguf.manager()), logits(bin.block(), bin.manager())))
          .isLessThan(1e-5f);
      String text = "Once upon a time, there was a little girl named Lily.";
      assertThat(gguf.tokenizer().encode(text)).containsExactly(bin.tokenizer().encode(text));
      assertThat(gguf.tokenizer().decode(bin.tokenizer().encode(text))).isEqualTo(text);
    }
  }

  @Test
  void badPathsGiveOneLineErrors(@TempDir Path dir) throws Exception {
    DataRoot root = DataRoot.fromEnvironment();
    assertThatThrownBy(() -> ModelLoader.load(dir.resolve("nope").toString(), root, Device.cpu()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("no such file");
    assertThatThrownBy(() -> ModelLoader.load(dir.toString(), root, Device.cpu()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("config.json");
    Path bin = dir.resolve("x.bin");
    Files.write(bin, new byte[] {1, 2, 3});
    assertThatThrownBy(() -> ModelLoader.load(bin.toString(), root, Device.cpu()))
        .isInstanceOf(InvalidInputException.class);
    Path gguf = dir.resolve("x.gguf");
    Files.write(gguf, "NOPE0000".getBytes());
    assertThatThrownBy(() -> ModelLoader.load(gguf.toString(), root, Device.cpu()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("GGUF");
  }
}

package org.genderalign.trainer.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.loader.HuggingFaceLoader;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.loader.SafeTensors;
import org.genderalign.trainer.model.RopeLayout;
import org.genderalign.trainer.training.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Hugging Face {@code LlamaForSequenceClassification} export: what the folder holds, that it
 * loads back with the same rewards (a llama2.c base's interleaved RoPE permuted to rotate-half on
 * the way), that a second round trip is byte-identical, and that non-reward folders are refused.
 */
class RewardModelExportTest {

  @TempDir Path tmp;

  static final List<String> PROMPTS = List.of("Once upon a time, Lily met a friend.", "Tom had a red ball.",
      "The sun was hot.");
  static final List<String> ANSWERS = List.of(" They shared the toys and smiled.", " He threw it.",
      " Sue went to the park to play with her dog and they ran and ran.");

  @Test
  void exportedFolderLoadsBackWithIdenticalRewards() throws Exception {
    Path dir = tmp.resolve("rm");
    float[] before;
    try (RewardModel rm = RewardModel.withFreshHead(
        ModelLoader.load(ModelLoader.STORIES_260K, DataRoot.fromEnvironment(), Device.cpu()), 11, 2)) {
      assertThat(rm.block().config().ropeLayout()).isEqualTo(RopeLayout.INTERLEAVED);
      rm.setEncoding(new RewardModel.Encoding("hh", 128));
      before = RewardScorer.of(rm, 2).rewards(PROMPTS, ANSWERS);
      rm.save(dir, Provenance.of("test", null, 11L));
    }
    JsonNode cfg = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
    assertThat(cfg.path("architectures").get(0).asText()).isEqualTo("LlamaForSequenceClassification");
    assertThat(cfg.path("id2label").size()).isEqualTo(1);
    assertThat(cfg.path("pad_token_id").asInt()).isEqualTo(2);
    assertThat(cfg.path(RewardModel.SETTINGS_KEY).path("prompt_template").asText()).isEqualTo("hh");
    var header = SafeTensors.header(dir.resolve("model.safetensors"));
    assertThat(header.get("score.weight").shape()).isEqualTo(new Shape(1, 64));
    assertThat(header).containsKey("model.embed_tokens.weight").doesNotContainKey("lm_head.weight");
    assertThat(header.keySet()).allMatch(k -> k.startsWith("model.") || k.equals("score.weight"));
    assertThat(Files.exists(dir.resolve("tokenizer.bin"))).isTrue();

    Path again = tmp.resolve("rm2");
    try (RewardModel back = RewardModel.load(dir, Device.cpu(), DataType.FLOAT32)) {
      assertThat(back.block().config().ropeLayout()).isEqualTo(RopeLayout.HALF);
      assertThat(back.padTokenId()).isEqualTo(2);
      assertThat(back.encoding()).isEqualTo(new RewardModel.Encoding("hh", 128));
      float[] after = RewardScorer.of(back, 3).rewards(PROMPTS, ANSWERS);
      for (int i = 0; i < before.length; i++) {
        assertThat(after[i]).as("answer %d", i).isCloseTo(before[i], within(1e-5f));
      }
      assertThat(before[0]).isNotEqualTo(before[1]);
      back.save(again, Provenance.of("test", null, 11L));
    }
    // no permutation the second time: the weights file is the same byte for byte
    assertThat(Files.readAllBytes(again.resolve("model.safetensors")))
        .isEqualTo(Files.readAllBytes(dir.resolve("model.safetensors")));
    // loadOrCreate recognises the folder instead of putting a fresh head on it
    try (RewardModel viaName = RewardModel.loadOrCreate(dir.toString(), DataRoot.fromEnvironment(), Device.cpu(),
        DataType.FLOAT32, 99, null)) {
      assertThat(viaName.score().getArray().toFloatArray())
          .containsExactly(SafeTensorsTestUtil.score(dir));
    }
  }

  @Test
  void untiedBaseDropsItsLmHeadAndStillRoundTrips() throws Exception {
    Path dir = tmp.resolve("untied");
    float[] before;
    LoadedModel base = ModelLoader.random(TinyModels.tinyConfig().toBuilder().tiedEmbeddings(false).build(),
        TinyModels.storiesTokenizer(), Device.cpu(), DataType.FLOAT32, 5);
    try (RewardModel rm = RewardModel.withFreshHead(base, 5, 2)) {
      assertThat(rm.block().output()).isNotNull();
      before = RewardScorer.of(rm, 4).rewards(PROMPTS, ANSWERS);
      rm.save(dir, Provenance.of("test", null, 5L));
    }
    assertThat(SafeTensors.header(dir.resolve("model.safetensors"))).doesNotContainKey("lm_head.weight");
    try (RewardModel back = RewardModel.load(dir, Device.cpu(), DataType.FLOAT32)) {
      float[] after = RewardScorer.of(back, 4).rewards(PROMPTS, ANSWERS);
      for (int i = 0; i < before.length; i++) {
        assertThat(after[i]).isCloseTo(before[i], within(1e-5f));
      }
    }
  }

  @Test
  void foldersThatAreNotRewardModelsAreRefused() throws Exception {
    Path causal = tmp.resolve("causal");
    try (LoadedModel base = TinyModels.tiny(1)) {
      HuggingFaceLoader.save(base.block(), base.tokenizer(), causal);
    }
    assertThat(RewardModel.isRewardModelFolder(causal)).isFalse();
    assertThatThrownBy(() -> RewardModel.load(causal, Device.cpu(), DataType.FLOAT32))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("architectures");
    // a causal LM becomes the base of a fresh, seeded head
    try (RewardModel a = RewardModel.loadOrCreate(causal.toString(), DataRoot.fromEnvironment(), Device.cpu(),
        DataType.FLOAT32, 3, null);
        RewardModel b = RewardModel.loadOrCreate(causal.toString(), DataRoot.fromEnvironment(), Device.cpu(),
            DataType.FLOAT32, 3, null)) {
      assertThat(a.score().getArray().toFloatArray()).containsExactly(b.score().getArray().toFloatArray());
      assertThat(a.padTokenId()).isEqualTo(2); // the stories tokenizer's EOS, TRL's fallback
    }

    Path rm = tmp.resolve("rm");
    try (RewardModel m = RewardModel.withFreshHead(TinyModels.tiny(1), 1, 2)) {
      m.save(rm, Provenance.of("test", null, 1L));
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode cfg = (ObjectNode) json.readTree(rm.resolve("config.json").toFile());
    cfg.set("id2label", json.valueToTree(Map.of("0", "NEG", "1", "POS")));
    json.writeValue(rm.resolve("config.json").toFile(), cfg);
    assertThatThrownBy(() -> RewardModel.load(rm, Device.cpu(), DataType.FLOAT32))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("one label");
  }

  /** Reads score.weight straight from the file. */
  static final class SafeTensorsTestUtil {
    static float[] score(Path dir) throws Exception {
      try (var m = ai.djl.ndarray.NDManager.newBaseManager()) {
        Map<String, NDArray> t = SafeTensors.read(dir.resolve("model.safetensors"),
            n -> n.equals("score.weight") ? n : null, m, Device.cpu(), DataType.FLOAT32);
        return t.get("score.weight").toFloatArray();
      }
    }
  }
}

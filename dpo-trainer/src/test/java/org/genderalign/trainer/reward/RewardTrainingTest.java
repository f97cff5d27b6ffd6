package org.genderalign.trainer.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.lora.LoraConfig;
import org.genderalign.trainer.optim.AdamWConfig;
import org.genderalign.trainer.training.TinyModels;
import org.genderalign.trainer.training.TrainingConfig;
import org.genderalign.trainer.training.TrainingLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Known-answer training on a synthetic task — the chosen answer contains a word the rejected one
 * lacks, anywhere in a random sentence — with a tiny random Llama: held-out accuracy reaches 1.0,
 * full fine-tuning and LoRA alike; the trained folder loads back and ranks fresh pairs the same
 * way; bad input is refused.
 */
class RewardTrainingTest {

  @TempDir Path tmp;

  static final String[] WORDS = {"cat", "dog", "tree", "ball", "sun", "red", "big", "ran", "sat", "box", "car", "hat"};

  /** Pairs whose chosen answer has "kind" inserted at a random place of the rejected answer's words. */
  static List<PreferencePair> markerPairs(int n, long seed) {
    Random r = new Random(seed);
    List<PreferencePair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<String> w = new ArrayList<>();
      int len = 3 + r.nextInt(5);
      for (int j = 0; j < len; j++) {
        w.add(WORDS[r.nextInt(WORDS.length)]);
      }
      String rejected = " " + String.join(" ", w);
      w.add(r.nextInt(len + 1), "kind");
      out.add(PreferencePair.of("s" + seed + "-" + i, "Tell me about it.", " " + String.join(" ", w), rejected));
    }
    return out;
  }

  static TrainingConfig training(long steps, double lr) {
    return new TrainingConfig(steps, 0, 8, 1, AdamWConfig.of(lr, 0.0), "constant", 0, 1.0, 3, 10, 0, 0, 1, false);
  }

  @Test
  void fullFineTuningLearnsTheMarkerToPerfectHeldOutAccuracy() throws Exception {
    Path out = tmp.resolve("full");
    RewardRunConfig cfg = new RewardRunConfig(training(60, 3e-3), null, 64, false, "raw", null, null, out, false);
    RewardTrainer.Report r = RewardTrainer.run(cfg, () -> RewardModel.withFreshHead(TinyModels.tiny(4), 4, 2),
        markerPairs(64, 1), markerPairs(32, 2), Provenance.of("test", null, 3L), null);
    Map<String, Object> first = r.result().firstTrainRecord();
    Map<String, Object> ev = r.result().last("eval_accuracy");
    assertThat(((Number) first.get("loss")).doubleValue()).isBetween(0.6, 0.8); // ≈ ln 2 from a fresh head
    assertThat(((Number) ev.get("eval_accuracy")).doubleValue()).isEqualTo(1.0);
    assertThat(((Number) ev.get("eval_rewards/margins")).doubleValue()).isGreaterThan(1.0);
    assertThat(first.keySet()).containsAll(BradleyTerryLoss.METRICS);

    // the final folder is a reward model that ranks unseen pairs the same way
    try (RewardModel back = RewardModel.load(out.resolve(TrainingLoop.FINAL_DIR), Device.cpu(), DataType.FLOAT32)) {
      assertThat(back.encoding()).isEqualTo(new RewardModel.Encoding("raw", 64));
      List<RewardScorer.PairReward> s = RewardScorer.of(back, 16).scorePairs(markerPairs(20, 9));
      assertThat(s).allMatch(p -> p.chosen() > p.rejected());
    }
  }

  @Test
  void loraTrainsAdaptersAndHeadOnly() throws Exception {
    Path out = tmp.resolve("lora");
    RewardRunConfig cfg = new RewardRunConfig(training(60, 1e-2), new LoraConfig(4, 8, 0.0, LoraConfig.DEFAULT_TARGETS),
        64, false, "raw", 0.01, null, out, false);
    List<String> trainable = new ArrayList<>();
    RewardTrainer.Report r = RewardTrainer.run(cfg, () -> RewardModel.withFreshHead(TinyModels.tiny(4), 4, 2),
        markerPairs(64, 1), markerPairs(32, 2), Provenance.of("test", null, 3L),
        new org.genderalign.trainer.training.StepListener() {
          @Override
          public void beforeUpdate(long step, Map<String, ai.djl.nn.Parameter> params) {
            if (step == 1) {
              trainable.addAll(params.keySet());
            }
          }
        });
    assertThat(trainable).contains(RewardTask.SCORE_PARAMETER)
        .allMatch(k -> k.equals(RewardTask.SCORE_PARAMETER) || k.endsWith(".lora_A") || k.endsWith(".lora_B"));
    assertThat(((Number) r.result().last("eval_accuracy").get("eval_accuracy")).doubleValue()).isEqualTo(1.0);
    assertThat(Files.exists(out.resolve("final/model.safetensors"))).isTrue();
  }

  @Test
  void pairsTooLongAreDroppedAndBadMarginsRefused() throws Exception {
    Path out = tmp.resolve("drops");
    List<PreferencePair> pairs = new ArrayList<>(markerPairs(8, 1));
    pairs.add(PreferencePair.of("long", "Tell me about it.", " cat".repeat(80), " dog"));
    RewardRunConfig cfg = new RewardRunConfig(training(1, 1e-3), null, 64, false, "raw", null, null, out, false);
    RewardTrainer.Report r = RewardTrainer.run(cfg, () -> RewardModel.withFreshHead(TinyModels.tiny(4), 4, 2), pairs,
        List.of(), Provenance.of("test", null, 3L), null);
    assertThat(r.droppedIds()).containsExactly("long");
    assertThat(r.trainPairs()).isEqualTo(8);
    assertThat(Files.readString(out.resolve("dropped.txt"))).isEqualTo("long\n");
    // truncating instead: the pair is kept, cut to 64 tokens
    RewardTrainer.Report t = RewardTrainer.run(
        new RewardRunConfig(training(1, 1e-3), null, 64, true, "raw", null, null, tmp.resolve("cut"), false),
        () -> RewardModel.withFreshHead(TinyModels.tiny(4), 4, 2), pairs, List.of(), Provenance.of("test", null, 3L),
        null);
    assertThat(t.droppedIds()).isEmpty();
    assertThat(t.trainPairs()).isEqualTo(9);
    assertThat(t.truncated()).isEqualTo(1);

    PreferencePair bad = markerPairs(1, 1).get(0).withMetadata("margin", "big");
    assertThatThrownBy(() -> RewardTrainer.run(cfg, () -> RewardModel.withFreshHead(TinyModels.tiny(4), 4, 2),
        List.of(bad), List.of(), Provenance.of("test", null, 3L), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad.id()).hasMessageContaining("margin");
    PreferencePair withMargin = markerPairs(1, 1).get(0).withMetadata("margin", 0.5);
    RewardTrainer.Report m = RewardTrainer.run(
        new RewardRunConfig(training(1, 1e-3), null, 64, false, "raw", null, null, tmp.resolve("m"), false),
        () -> RewardModel.withFreshHead(TinyModels.tiny(4), 4, 2), List.of(withMargin), List.of(),
        Provenance.of("test", null, 3L), null);
    assertThat(m.pairsWithMargin()).isEqualTo(1);
  }
}

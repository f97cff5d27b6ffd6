package org.genderalign.builder.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.genderalign.builder.config.SelfRewardConfig;
import org.genderalign.builder.pipeline.Candidate;
import org.genderalign.builder.pipeline.ProgressListener;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.reward.RewardModel;
import org.genderalign.trainer.reward.RewardScorer;
import org.genderalign.trainer.training.TrainingLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-fitting: each half of the candidates (split by seed) trains one reward model and is judged
 * by the other's, the models are reused by a second proxy on the same folder, and too few
 * candidates are refused.
 */
class CrossFitRewardProxyTest {

  @TempDir Path tmp;

  static final String[] WORDS = {"cat", "dog", "tree", "ball", "sun", "red", "big", "ran", "sat", "box"};

  /** Two dialogues per seed; the chosen answer has the word "kind" the rejected one lacks. */
  static List<Scored> candidates(int seeds) {
    Random r = new Random(5);
    List<Scored> out = new ArrayList<>();
    for (int s = 0; s < seeds; s++) {
      for (int d = 0; d < 2; d++) {
        List<String> w = new ArrayList<>();
        for (int j = 0; j < 4; j++) {
          w.add(WORDS[r.nextInt(WORDS.length)]);
        }
        String rejected = String.join(" ", w);
        w.add(r.nextInt(5), "kind");
        out.add(Scored.unclassified(new Candidate("s" + s + "-d" + d, "s" + s, "test", d, "Tell me about it.",
            String.join(" ", w), rejected, Map.of(), null)));
      }
    }
    return out;
  }

  static SelfRewardConfig settings(Path base) {
    return SelfRewardConfig.builder().base(base.toString()).steps(6).batchSize(4).learningRate(3e-3).maxLength(64)
        .build();
  }

  @Test
  void eachHalfIsJudgedByTheModelTrainedOnTheOther() throws Exception {
    Path base = TinyRewardBase.write(tmp.resolve("base"));
    List<Scored> cands = candidates(20);
    int[] size = new int[2];
    cands.forEach(c -> size[CrossFitRewardProxy.fold(42, c.candidate().seedId())]++);
    assertThat(size[0]).isPositive();
    assertThat(size[1]).isPositive();
    // a seed's dialogues are always on the same side
    assertThat(CrossFitRewardProxy.fold(42, "s3")).isEqualTo(CrossFitRewardProxy.fold(42, "s3"));

    double[][] got;
    Map<String, Object> info;
    try (CrossFitRewardProxy p = new CrossFitRewardProxy(settings(base), 42, tmp.resolve("work"),
        DataRoot.fromEnvironment(), ProgressListener.NONE)) {
      got = p.scorePairs(cands);
      info = p.describe();
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> folds = (List<Map<String, Object>>) info.get("folds");
    for (int k = 0; k < 2; k++) {
      assertThat(folds.get(k).get("train_pairs")).isEqualTo(size[k]);
      assertThat(folds.get(k).get("held_out_pairs")).isEqualTo(size[1 - k]); // model k judges the other half
    }
    assertThat(info.get("pairs_judged")).isEqualTo(cands.size());

    Path work = tmp.resolve("work").resolve(CrossFitRewardProxy.DIR);
    RewardModel[] models = new RewardModel[2];
    try {
      for (int k = 0; k < 2; k++) {
        models[k] = RewardModel.load(work.resolve("fold-" + k).resolve(TrainingLoop.FINAL_DIR), Device.cpu(),
            DataType.FLOAT32);
        assertThat(folds.get(k).get("weights_sha256"))
            .isEqualTo(RewardModel.weightsSha256(work.resolve("fold-" + k).resolve(TrainingLoop.FINAL_DIR)));
      }
      for (int i = 0; i < cands.size(); i++) {
        Candidate c = cands.get(i).candidate();
        int judge = 1 - CrossFitRewardProxy.fold(42, c.seedId());
        float[] r = RewardScorer.of(models[judge], 1).rewards(List.of(c.prompt(), c.prompt()),
            List.of(c.chosen(), c.rejected()));
        assertThat(got[i][0]).as(c.id()).isCloseTo(CandidateRewards.sigmoid(r[0]), within(1e-5));
        assertThat(got[i][1]).as(c.id()).isCloseTo(CandidateRewards.sigmoid(r[1]), within(1e-5));
      }
    } finally {
      for (RewardModel m : models) {
        if (m != null) {
          m.close();
        }
      }
    }

    // a second proxy on the same folder (a resumed build) reuses both models: same scores, bit for bit
    Path weights = work.resolve("fold-0").resolve(TrainingLoop.FINAL_DIR).resolve("model.safetensors");
    long before = Files.getLastModifiedTime(weights).toMillis();
    List<String> messages = new ArrayList<>();
    ProgressListener log = new ProgressListener() {
      @Override public void start(String stage, long total) { }
      @Override public void step(long n) { }
      @Override public void finish() { }
      @Override public void message(String line) {
        messages.add(line);
      }
    };
    try (CrossFitRewardProxy again = new CrossFitRewardProxy(settings(base), 42, tmp.resolve("work"),
        DataRoot.fromEnvironment(), log)) {
      assertThat(again.scorePairs(cands)).isDeepEqualTo(got);
    }
    assertThat(messages).allMatch(m -> m.contains("reusing")).hasSize(2);
    assertThat(Files.getLastModifiedTime(weights).toMillis()).isEqualTo(before);

    // other settings: the folder is started over
    try (CrossFitRewardProxy other = new CrossFitRewardProxy(settings(base).toBuilder().steps(3).build(), 42,
        tmp.resolve("work"), DataRoot.fromEnvironment(), ProgressListener.NONE)) {
      other.scorePairs(cands);
    }
    assertThat(Files.readAllLines(work.resolve("fold-0").resolve(TrainingLoop.METRICS_FILE)))
        .singleElement().asString().contains("\"step\":3,");
  }

  @Test
  void tooFewCandidatesToCrossFitAreRefused() throws Exception {
    try (CrossFitRewardProxy p = new CrossFitRewardProxy(settings(tmp.resolve("unused")), 42, tmp.resolve("w"),
        DataRoot.fromEnvironment(), ProgressListener.NONE)) {
      assertThatThrownBy(() -> p.scorePairs(candidates(3))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least");
    }
  }
}

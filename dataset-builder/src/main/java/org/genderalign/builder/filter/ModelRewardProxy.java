package org.genderalign.builder.filter;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.builder.pipeline.Candidate;
import org.genderalign.taxonomy.Classification;
import org.genderalign.trainer.reward.RewardModel;
import org.genderalign.trainer.reward.RewardScorer;

/**
 * The reward-guided filter's proxy backed by a trained reward model (a
 * {@code LlamaForSequenceClassification} folder, e.g. {@code train reward}'s {@code final/}): an
 * answer's reward r enters the filter as σ(r) ∈ (0, 1), so the margin keeps its meaning of "a gap
 * between [0, 1] rewards" — under Bradley–Terry, σ(r_c) − σ(r_r) grows with the model's preference
 * for the chosen answer. Text is encoded as the model was trained ({@link RewardScorer#of});
 * answers beyond its maximum length are judged on their first tokens (counted in
 * {@link #describe}).
 */
public final class ModelRewardProxy implements RewardProxy {

  /** Rows per forward pass. */
  static final int BATCH_SIZE = 16;

  private final RewardModel model;
  private final RewardScorer scorer;
  private final String weightsSha256;
  private final CandidateRewards rewards = new CandidateRewards();

  private ModelRewardProxy(RewardModel model, String weightsSha256) {
    this.model = model;
    this.scorer = RewardScorer.of(model, BATCH_SIZE);
    this.weightsSha256 = weightsSha256;
  }

  /** Loads the reward model folder on the CPU. */
  public static ModelRewardProxy open(Path folder) throws IOException {
    RewardModel m = RewardModel.load(folder, Device.cpu(), DataType.FLOAT32);
    return new ModelRewardProxy(m, RewardModel.weightsSha256(folder));
  }

  @Override
  public String name() {
    return "model";
  }

  @Override
  public double score(String prompt, String answer, Classification classification) {
    return CandidateRewards.sigmoid(scorer.rewards(List.of(prompt), List.of(answer))[0]);
  }

  @Override
  public double[][] scorePairs(List<Scored> candidates) {
    List<Candidate> todo = new ArrayList<>();
    for (Scored s : candidates) {
      if (!rewards.has(s.candidate().id())) {
        todo.add(s.candidate());
      }
    }
    rewards.score(scorer, todo);
    return rewards.sigmoids(candidates);
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>(RewardProxy.super.describe());
    m.put("reward_model", RewardModel.ARCHITECTURE);
    m.put("weights_sha256", weightsSha256);
    m.put("prompt_template", scorer.template());
    m.put("max_length", scorer.maxLength());
    m.put("pad_token_id", model.padTokenId());
    m.put("score", "sigmoid(reward)");
    m.put("pairs_judged", rewards.lastScored());
    m.put("pairs_truncated", rewards.lastTruncated());
    return m;
  }

  @Override
  public void close() {
    model.close();
  }
}

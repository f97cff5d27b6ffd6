package org.genderalign.builder.filter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.taxonomy.Classification;

/**
 * Scores how good an answer is for a prompt, in [0, 1], for the reward-guided filter. Chosen by
 * name: {@code heuristic} (no model; the offline default), {@code model} (a trained reward model:
 * {@link ModelRewardProxy}, or {@link CrossFitRewardProxy} for {@code self}); {@code none} turns
 * the filter off. A proxy that holds a model is closed when the build ends.
 */
public interface RewardProxy extends AutoCloseable {

  /** The name used in configs. */
  String name();

  /**
   * The reward of one answer.
   *
   * @param prompt the question
   * @param answer the answer
   * @param classification the taxonomy's classification of the answer (never null)
   */
  double score(String prompt, String answer, Classification classification);

  /**
   * The rewards of every candidate's chosen ({@code [i][0]}) and rejected ({@code [i][1]}) answer.
   * Model-backed proxies override it to batch, and the cross-fitted one to pick, per candidate, the
   * model that did not see it.
   */
  default double[][] scorePairs(List<Scored> candidates) {
    double[][] out = new double[candidates.size()][];
    for (int i = 0; i < candidates.size(); i++) {
      Scored s = candidates.get(i);
      out[i] = new double[] {score(s.candidate().prompt(), s.candidate().chosen(), s.chosen()),
          score(s.candidate().prompt(), s.candidate().rejected(), s.rejected())};
    }
    return out;
  }

  /**
   * What the build report and the dataset card say about the proxy: its name and, for a model, its
   * identity (weights' sha256, training settings). Ordered, JSON-ready, no paths that change
   * between identical builds.
   */
  default Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name());
    return m;
  }

  /** Frees a model's memory; nothing to do for a heuristic. */
  @Override
  default void close() {}
}

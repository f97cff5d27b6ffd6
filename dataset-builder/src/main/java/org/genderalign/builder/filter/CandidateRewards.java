package org.genderalign.builder.filter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.builder.pipeline.Candidate;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.trainer.reward.RewardScorer;

/**
 * Reward-model scores of candidates, kept by candidate id (a candidate's texts never change within
 * a build, so a top-up round scores only the new ones), with the counts the build report gives.
 */
final class CandidateRewards {

  /** One candidate's rewards: raw r_c, r_r and whether a sequence was cut to the maximum length. */
  record Entry(double chosen, double rejected, boolean truncated) {}

  private final Map<String, Entry> byId = new HashMap<>();
  private int lastScored;
  private int lastTruncated;

  boolean has(String candidateId) {
    return byId.containsKey(candidateId);
  }

  Entry get(String candidateId) {
    return byId.get(candidateId);
  }

  /** Scores {@code todo} with {@code scorer} and keeps the results. */
  void score(RewardScorer scorer, List<Candidate> todo) {
    if (todo.isEmpty()) {
      return;
    }
    List<PreferencePair> pairs = new ArrayList<>(todo.size());
    for (Candidate c : todo) {
      pairs.add(PreferencePair.of(c.id(), c.prompt(), c.chosen(), c.rejected()));
    }
    List<RewardScorer.PairReward> r = scorer.scorePairs(pairs);
    for (int i = 0; i < todo.size(); i++) {
      RewardScorer.PairReward p = r.get(i);
      byId.put(todo.get(i).id(), new Entry(p.chosen(), p.rejected(), p.truncated()));
    }
  }

  /** σ(r_c), σ(r_r) of each candidate (all scored before), noting how many were scored and cut. */
  double[][] sigmoids(List<Scored> candidates) {
    double[][] out = new double[candidates.size()][];
    int truncated = 0;
    for (int i = 0; i < candidates.size(); i++) {
      Entry e = byId.get(candidates.get(i).candidate().id());
      out[i] = new double[] {sigmoid(e.chosen()), sigmoid(e.rejected())};
      truncated += e.truncated() ? 1 : 0;
    }
    lastScored = candidates.size();
    lastTruncated = truncated;
    return out;
  }

  /** Candidates judged by the last {@link #sigmoids} call. */
  int lastScored() {
    return lastScored;
  }

  /** Of those, how many had an answer cut to the maximum length. */
  int lastTruncated() {
    return lastTruncated;
  }

  /** The logistic function, without overflow. */
  static double sigmoid(double r) {
    return r >= 0 ? 1 / (1 + Math.exp(-r)) : Math.exp(r) / (1 + Math.exp(r));
  }
}

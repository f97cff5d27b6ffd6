package org.genderalign.builder.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reward-guided filter (the RewardDS idea: synthetic preference data is noisy, so refine it
 * with a reward proxy): drops a pair unless reward(chosen) − reward(rejected) ≥ margin.
 */
public final class RewardFilter implements CandidateFilter {

  private final RewardProxy proxy;
  private final double margin;

  public RewardFilter(RewardProxy proxy, double margin) {
    this.proxy = proxy;
    this.margin = margin;
  }

  @Override
  public String name() {
    return "reward_margin";
  }

  @Override
  public boolean needsClassification() {
    return true;
  }

  @Override
  public List<String> decide(List<Scored> candidates) {
    List<String> out = new ArrayList<>(candidates.size());
    double[][] rewards = proxy.scorePairs(candidates);
    for (double[] r : rewards) {
      double rc = r[0];
      double rr = r[1];
      out.add(rc - rr >= margin ? null
          : String.format(Locale.ROOT, "%s reward margin %.3f < %.3f", proxy.name(), rc - rr, margin));
    }
    return out;
  }
}

package org.genderalign.builder.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Drops pairs whose chosen answer the taxonomy flags as biased with at least the configured
 * confidence: the paper's human raters found 99.7% of chosen answers free of bias, and a biased
 * chosen answer would teach the model the wrong side.
 */
public final class BiasedChosenFilter implements CandidateFilter {

  private final double minConfidence;

  public BiasedChosenFilter(double minConfidence) {
    this.minConfidence = minConfidence;
  }

  @Override
  public String name() {
    return "biased_chosen";
  }

  @Override
  public boolean needsClassification() {
    return true;
  }

  @Override
  public List<String> decide(List<Scored> candidates) {
    List<String> out = new ArrayList<>(candidates.size());
    for (Scored s : candidates) {
      if (s.chosen() != null && s.chosen().biased() && s.chosen().confidence() >= minConfidence) {
        out.add("chosen classified " + s.chosen().category().id() + " ("
            + String.format(Locale.ROOT, "%.2f", s.chosen().confidence()) + ")");
      } else {
        out.add(null);
      }
    }
    return out;
  }
}

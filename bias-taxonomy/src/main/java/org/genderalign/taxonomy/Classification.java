package org.genderalign.taxonomy;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The result of classifying one answer.
 *
 * @param category the predicted category
 * @param confidences a probability-like score per category (sums to 1)
 * @param explanation why: matched lexicon terms, nearest labelled exemplars, rule hits
 */
public record Classification(
    BiasCategory category, Map<BiasCategory, Double> confidences, Explanation explanation) {

  public Classification {
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(explanation, "explanation");
    confidences = Collections.unmodifiableMap(new EnumMap<>(confidences));
  }

  /** True when the predicted category is one of the four bias categories. */
  public boolean biased() {
    return category.isBiased();
  }

  /** The confidence of the predicted category. */
  public double confidence() {
    return confidences.getOrDefault(category, 0.0);
  }
}

package org.genderalign.builder.filter;

import java.util.List;

/**
 * One filter of the chain. It sees the candidates that survived the filters before it, in build
 * order, and says for each whether to drop it and why. A filter may keep state across the list
 * (the near-duplicate filter keeps the first of each group), so it is applied to the whole list.
 */
public interface CandidateFilter {

  /** Stable name used in drop counts, e.g. {@code near_duplicate}. */
  String name();

  /** True when the filter needs taxonomy classifications ({@link Scored#chosen()}). */
  default boolean needsClassification() {
    return false;
  }

  /** For each candidate, null to keep it or a short reason to drop it. */
  List<String> decide(List<Scored> candidates);
}

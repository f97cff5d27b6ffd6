package org.genderalign.taxonomy;

import java.util.List;
import java.util.Map;

/**
 * Why an answer got its label, in terms a person can check.
 *
 * @param matchedTerms lexicon name → terms of that lexicon found in the answer
 * @param neighbours the nearest labelled exemplars (id, category, similarity score)
 * @param rules named rules or features that fired, each with a short human-readable reason
 */
public record Explanation(
    Map<String, List<String>> matchedTerms, List<Neighbour> neighbours, List<String> rules) {

  public Explanation {
    matchedTerms = Map.copyOf(matchedTerms);
    neighbours = List.copyOf(neighbours);
    rules = List.copyOf(rules);
  }

  /** A labelled exemplar close to the classified answer. */
  public record Neighbour(String exemplarId, BiasCategory category, double score, String text) {}
}

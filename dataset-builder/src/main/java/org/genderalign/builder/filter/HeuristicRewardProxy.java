package org.genderalign.builder.filter;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.genderalign.builder.text.Shingles;
import org.genderalign.taxonomy.BiasCategory;
import org.genderalign.taxonomy.Classification;

/**
 * A reward proxy that needs no model: 0.5 × P(no bias) from the taxonomy, 0.25 × relevance (the
 * share of the prompt's content words the answer takes up, saturating at 8 words), and 0.25 ×
 * substance (length saturating at 60 words times the share of distinct words, which punishes
 * curt and repetitive answers). Crude, but it encodes what the paper's raters looked for: an
 * unbiased, on-topic, substantive answer.
 */
public final class HeuristicRewardProxy implements RewardProxy {

  private static final Set<String> STOP = Set.of("the", "a", "an", "is", "are", "was", "be", "to", "of", "and",
      "or", "in", "on", "at", "for", "with", "that", "this", "it", "i", "you", "my", "me", "do", "does", "what",
      "how", "why", "can", "should", "there", "any", "about", "some", "people", "really", "they", "them", "so");

  @Override
  public String name() {
    return "heuristic";
  }

  @Override
  public java.util.Map<String, Object> describe() {
    java.util.Map<String, Object> m = RewardProxy.super.describe();
    m.put("description", "0.5 P(no bias) + 0.25 relevance + 0.25 substance (no model)");
    return m;
  }

  @Override
  public double score(String prompt, String answer, Classification c) {
    double unbiased = c.confidences().getOrDefault(BiasCategory.NONE, c.biased() ? 0.0 : 1.0);
    Set<String> promptWords = content(Shingles.tokens(prompt));
    List<String> answerTokens = Shingles.tokens(answer);
    Set<String> answerWords = content(answerTokens);
    int overlap = 0;
    for (String w : promptWords) {
      if (answerWords.contains(w)) {
        overlap++;
      }
    }
    double relevance = promptWords.isEmpty() ? 0 : Math.min(1.0, overlap / (double) Math.min(8, promptWords.size()));
    double distinct = answerTokens.isEmpty() ? 0 : new HashSet<>(answerTokens).size() / (double) answerTokens.size();
    double substance = Math.min(1.0, answerTokens.size() / 60.0) * distinct;
    return 0.5 * unbiased + 0.25 * relevance + 0.25 * substance;
  }

  private static Set<String> content(List<String> tokens) {
    Set<String> out = new HashSet<>();
    for (String t : tokens) {
      if (t.length() > 2 && !STOP.contains(t)) {
        out.add(t);
      }
    }
    return out;
  }
}

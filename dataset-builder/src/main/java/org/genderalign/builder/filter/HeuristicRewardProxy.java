package org.genderalign.builder.filter;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.genderalign.builder.text.Shingles;
import org.genderalign.taxonomy.BiasCategory;
import org.genderalign.taxonomy.Classification;

/**
 * A reward proxy that needs no model, and does not reward length: 0.5 × P(no bias) from the
 * taxonomy, 0.25 × relevance and 0.25 × substance.
 *
 * <ul>
 *   <li><b>relevance</b>: how many of the prompt's content words the answer takes up (words of
 *       more than {@value #STEM} letters compared by their first {@value #STEM}, so "insults"
 *       matches "insult"), saturating at {@value #RELEVANT_WORDS} — an answer on the topic gets
 *       full marks, an off-topic one none;</li>
 *   <li><b>substance</b>: min(1, words / {@value #SUBSTANTIVE_WORDS}) × (1 − the share of the
 *       answer's word trigrams that repeat an earlier trigram of the same answer), which punishes
 *       curt and looping answers ("is is is is …") and nothing else.</li>
 * </ul>
 * Both saturate at a few words, so two answers that are each on-topic and non-repetitive score
 * the same however long they are: a filter built on this proxy cannot favour the longer side
 * (the earlier version saturated substance at 60 words and relevance at 8 shared words, so that
 * the longer answer of a pair usually won). Crude, but it encodes what the paper's raters
 * looked for: an unbiased, on-topic, substantive answer.
 */
public final class HeuristicRewardProxy implements RewardProxy {

  /** Prompt content words an answer must take up to count as fully on-topic. */
  static final int RELEVANT_WORDS = 3;
  /** Words an answer needs to count as fully substantive. */
  static final int SUBSTANTIVE_WORDS = 8;
  /** Letters compared when matching longer words (a crude stemmer). */
  static final int STEM = 5;

  private static final Set<String> STOP = Set.of("the", "a", "an", "is", "are", "was", "be", "to", "of", "and",
      "or", "in", "on", "at", "for", "with", "that", "this", "it", "i", "you", "my", "me", "do", "does", "what",
      "how", "why", "can", "should", "there", "any", "about", "some", "people", "really", "they", "them", "so",
      "not", "but", "from", "have", "has", "their", "your", "than", "who", "would", "say", "says", "said", "think",
      "true", "just", "like", "more", "most", "all", "one", "when", "where", "which", "will", "been", "being");

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
    return 0.5 * unbiased + 0.25 * relevance(prompt, answer) + 0.25 * substance(answer);
  }

  /** Share of {@value #RELEVANT_WORDS} prompt content words found in the answer (1 at most). */
  static double relevance(String prompt, String answer) {
    Set<String> promptWords = content(Shingles.tokens(prompt));
    if (promptWords.isEmpty()) {
      return 0;
    }
    Set<String> answerWords = content(Shingles.tokens(answer));
    int overlap = 0;
    for (String w : promptWords) {
      if (answerWords.contains(w)) {
        overlap++;
      }
    }
    return Math.min(1.0, overlap / (double) Math.min(RELEVANT_WORDS, promptWords.size()));
  }

  /** min(1, words / {@value #SUBSTANTIVE_WORDS}) × (1 − share of repeated word trigrams). */
  static double substance(String answer) {
    List<String> tokens = Shingles.tokens(answer);
    if (tokens.isEmpty()) {
      return 0;
    }
    int trigrams = tokens.size() - 2;
    double fresh = 1.0;
    if (trigrams > 0) {
      Map<String, Integer> seen = new HashMap<>();
      int repeated = 0;
      for (int i = 0; i < trigrams; i++) {
        if (seen.merge(tokens.get(i) + " " + tokens.get(i + 1) + " " + tokens.get(i + 2), 1, Integer::sum) > 1) {
          repeated++;
        }
      }
      fresh = 1.0 - (double) repeated / trigrams;
    }
    return Math.min(1.0, tokens.size() / (double) SUBSTANTIVE_WORDS) * fresh;
  }

  /** Content words (more than 2 letters, not stop words), longer ones cut to their stem. */
  private static Set<String> content(List<String> tokens) {
    Set<String> out = new HashSet<>();
    for (String t : tokens) {
      if (t.length() > 2 && !STOP.contains(t)) {
        out.add(t.length() > STEM ? t.substring(0, STEM) : t);
      }
    }
    return out;
  }
}

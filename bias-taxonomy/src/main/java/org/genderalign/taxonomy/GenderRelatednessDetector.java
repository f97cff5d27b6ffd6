package org.genderalign.taxonomy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.taxonomy.lexicon.Lexicons;
import org.genderalign.taxonomy.lexicon.Tokens;

/**
 * Decides whether a text is about gender at all, for audits such as the paper's count of
 * gender-related HH-RLHF samples.
 *
 * <p>A text is gender-related when its evidence score reaches {@link #DEFAULT_THRESHOLD}: each
 * distinct term from the LGBTQ+ list or the gendered-slur list scores {@link #STRONG_WEIGHT},
 * each distinct term from the gender-topic list scores 1 (one passing "my girlfriend" in a long
 * HH transcript does not make it about gender; "women … men" does); each distinct other word from the public gendered lists (kinship words, titles,
 * gendered job names) scores {@link #PUBLIC_WORD_WEIGHT}. Pronouns score nothing: a story
 * about one person is not about gender. Thread-safe.
 */
public final class GenderRelatednessDetector {

  /** Evidence needed: two topic terms, one LGBTQ+ term or slur, or four public gendered words. */
  public static final double DEFAULT_THRESHOLD = 2.0;
  /** Weight of an LGBTQ+ term or a gendered slur: one is enough. */
  public static final double STRONG_WEIGHT = 2.0;
  /** Weight of a word found only in the public gendered lists. */
  public static final double PUBLIC_WORD_WEIGHT = 0.5;

  private static final List<String> STRONG = List.of(Lexicons.GENDER_TOPIC, Lexicons.LGBTQ,
      Lexicons.SLURS);

  /**
   * The outcome for one text.
   *
   * @param related whether the score reached the threshold
   * @param score the evidence score
   * @param evidence lexicon name → distinct terms found
   */
  public record Relatedness(boolean related, double score, Map<String, List<String>> evidence) {
    public Relatedness {
      evidence = Map.copyOf(evidence);
    }
  }

  private final Lexicons lexicons;
  private final double threshold;

  public GenderRelatednessDetector(Lexicons lexicons, double threshold) {
    if (!(threshold > 0) || Double.isInfinite(threshold)) {
      throw new IllegalArgumentException("threshold must be > 0, got " + threshold);
    }
    this.lexicons = lexicons;
    this.threshold = threshold;
  }

  public static GenderRelatednessDetector create(DataRoot root) {
    return new GenderRelatednessDetector(Lexicons.load(root), DEFAULT_THRESHOLD);
  }

  /** Whether {@code text} is about gender. */
  public boolean isGenderRelated(String text) {
    return detect(text).related();
  }

  /** The decision with its score and the matched evidence. */
  public Relatedness detect(String text) {
    List<String> tokens = Tokens.of(text);
    Map<String, List<String>> ev = new LinkedHashMap<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    double score = 0;
    for (String lex : STRONG) {
      List<String> terms = lexicons.matcher(lex).distinctTerms(tokens);
      if (!terms.isEmpty()) {
        ev.put(lex, terms);
        for (String t : terms) {
          if (seen.add(t)) {
            score += lex.equals(Lexicons.GENDER_TOPIC) ? 1.0 : STRONG_WEIGHT;
          }
        }
      }
    }
    List<String> pub = lexicons.matcher(Lexicons.GENDERED_PUBLIC).distinctTerms(tokens).stream()
        .filter(t -> !seen.contains(t)).toList();
    if (!pub.isEmpty()) {
      ev.put(Lexicons.GENDERED_PUBLIC, pub);
      score += PUBLIC_WORD_WEIGHT * pub.size();
    }
    return new Relatedness(score >= threshold, score, ev);
  }
}

package org.genderalign.taxonomy;

/**
 * Labels an answer (given the question it answers) with a {@link BiasCategory}. The answer, not
 * the question, carries the bias: a flat "Yes" to a stereotyped question endorses it, so the
 * question is context for interpreting the answer.
 */
public interface BiasClassifier {

  /** Classifies one answer; never null. */
  Classification classify(String question, String answer);
}

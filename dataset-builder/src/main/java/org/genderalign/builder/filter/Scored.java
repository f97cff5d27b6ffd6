package org.genderalign.builder.filter;

import org.genderalign.builder.pipeline.Candidate;
import org.genderalign.taxonomy.Classification;

/**
 * A candidate with the taxonomy's view of its two answers (null before classification: the
 * cheap filters run first so that only their survivors are classified).
 */
public record Scored(Candidate candidate, Classification chosen, Classification rejected) {

  public static Scored unclassified(Candidate c) {
    return new Scored(c, null, null);
  }
}

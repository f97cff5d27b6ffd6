package org.genderalign.taxonomy.lexicon;

import java.util.List;
import java.util.Map;

/**
 * Occupation names with the share of women employed in them (US BLS CPS 2022, table 11),
 * plus single-word professions from debiaswe without a share. Used to tell when an answer
 * talks about jobs, and how gender-skewed those jobs are.
 *
 * @param lexicon all occupation terms (singular and plural)
 * @param percentWomen term → % women; absent when the source gives no figure
 */
public record OccupationLexicon(Lexicon lexicon, Map<String, Double> percentWomen) {

  public OccupationLexicon {
    percentWomen = Map.copyOf(percentWomen);
  }

  /**
   * How skewed the most skewed matched occupation is: |% women − 50| / 50, in [0, 1]; 0 when
   * none of the terms has a figure.
   */
  public double maxSkew(List<String> matchedTerms) {
    double best = 0;
    for (String t : matchedTerms) {
      Double p = percentWomen.get(t);
      if (p != null) {
        best = Math.max(best, Math.abs(p - 50.0) / 50.0);
      }
    }
    return best;
  }
}

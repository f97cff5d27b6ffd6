package org.genderalign.taxonomy.audit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.taxonomy.BiasCategory;
import org.genderalign.taxonomy.Classification;
import org.genderalign.taxonomy.Explanation;
import org.genderalign.taxonomy.GenderRelatednessDetector.Relatedness;

/**
 * The taxonomy's view of one preference pair.
 *
 * @param pair the pair
 * @param chosen the chosen answer's classification
 * @param rejected the rejected answer's classification
 * @param relatedness whether the pair (prompt and both answers) is about gender, with evidence
 */
public record PairJudgement(PreferencePair pair, Classification chosen, Classification rejected,
    Relatedness relatedness) {

  /** Metadata keys added by {@link #annotated()}. */
  public static final String CHOSEN_CATEGORY = "chosen_category";
  public static final String REJECTED_CATEGORY = "rejected_category";
  public static final String CHOSEN_CONFIDENCE = "chosen_confidence";
  public static final String REJECTED_CONFIDENCE = "rejected_confidence";
  public static final String GENDER_RELATED = "gender_related";
  public static final String EXPLANATION = "explanation";

  public boolean genderRelated() {
    return relatedness.related();
  }

  /** A gender-related pair whose chosen answer is biased: the audit's flag. */
  public boolean flagged() {
    return genderRelated() && chosen.biased();
  }

  /** The pair with the taxonomy's fields added to its metadata (JSON-friendly values only). */
  public PreferencePair annotated() {
    Map<String, Object> m = new LinkedHashMap<>(pair.metadata());
    m.put(CHOSEN_CATEGORY, chosen.category().id());
    m.put(REJECTED_CATEGORY, rejected.category().id());
    m.put(CHOSEN_CONFIDENCE, round(chosen.confidence()));
    m.put(REJECTED_CONFIDENCE, round(rejected.confidence()));
    m.put(GENDER_RELATED, genderRelated());
    Map<String, Object> ex = new LinkedHashMap<>();
    ex.put("chosen", explain(chosen));
    ex.put("rejected", explain(rejected));
    ex.put("gender_evidence", relatedness.evidence());
    m.put(EXPLANATION, ex);
    return pair.toBuilder().metadata(m).build();
  }

  private static Map<String, Object> explain(Classification c) {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Double> conf = new LinkedHashMap<>();
    for (BiasCategory b : BiasCategory.values()) {
      conf.put(b.id(), round(c.confidences().getOrDefault(b, 0.0)));
    }
    m.put("confidences", conf);
    Explanation e = c.explanation();
    m.put("matched_terms", e.matchedTerms());
    List<Map<String, Object>> nb = e.neighbours().stream().map(n -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("id", n.exemplarId());
      x.put("label", n.category().id());
      x.put("score", round(n.score()));
      return x;
    }).toList();
    m.put("neighbours", nb);
    m.put("rules", e.rules());
    return m;
  }

  private static double round(double v) {
    return Math.round(v * 10000.0) / 10000.0;
  }
}

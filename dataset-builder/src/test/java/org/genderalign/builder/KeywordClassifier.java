package org.genderalign.builder;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.genderalign.taxonomy.BiasCategory;
import org.genderalign.taxonomy.BiasClassifier;
import org.genderalign.taxonomy.Classification;
import org.genderalign.taxonomy.Explanation;

/**
 * A small, deterministic stand-in for the taxonomy's classifier in builder tests: an answer is
 * biased when it endorses ("honestly", "of course", "everyone knows", …) and its category comes
 * from topic words.
 */
public final class KeywordClassifier implements BiasClassifier {

  private static final List<String> ENDORSE = List.of("honestly", "of course", "everyone knows", "yes,", "yes.",
      "sure", "that's how", "nature made", "let's be", "typical", "simple as that", "period,", "just");

  @Override
  public Classification classify(String question, String answer) {
    String a = answer.toLowerCase(Locale.ROOT);
    BiasCategory cat = BiasCategory.NONE;
    if (ENDORSE.stream().anyMatch(a::contains)) {
      if (a.matches("(?s).*(transgender|gay|non-binary|lgbt|pronoun|kids need a mom|not natural|trend|phase).*")) {
        cat = BiasCategory.MARGINALIZED_GENDER_BIAS;
      } else if (a.matches("(?s).*(bitch|females|slut|names|words|offline|sensitive|joke|banter|feminist|ask for it|slap).*")) {
        cat = BiasCategory.DISCRIMINATORY_LANGUAGE;
      } else if (a.matches("(?s).*(compan|business|hire|hiring|job|boss|ceo|pay|paid|engineer|school|universit|promot|quota|career|maternity|pilot|army|site).*")) {
        cat = BiasCategory.OCCUPATIONAL_EDUCATIONAL_SEXISM;
      } else {
        cat = BiasCategory.STEREOTYPES;
      }
    }
    Map<BiasCategory, Double> conf = new EnumMap<>(BiasCategory.class);
    for (BiasCategory c : BiasCategory.values()) {
      conf.put(c, c == cat ? 0.8 : 0.05);
    }
    return new Classification(cat, conf, new Explanation(Map.of(), List.of(), List.of("keyword test classifier")));
  }
}

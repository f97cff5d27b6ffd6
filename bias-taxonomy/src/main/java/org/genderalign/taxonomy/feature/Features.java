package org.genderalign.taxonomy.feature;

import java.util.List;
import java.util.Map;
import org.genderalign.taxonomy.exemplar.ExemplarIndex;

/**
 * The features of one answer and the evidence behind them.
 *
 * @param values one value per {@link FeatureExtractor#names()} entry
 * @param matchedTerms lexicon name → terms of that lexicon found in the answer
 * @param neighbours the nearest exemplars to the answer
 * @param cues named cues that fired, each with a short reason
 * @param mentionsGender whether the answer uses any gendered word (pronouns and diminutives
 *     included) or opens by agreeing with a question that does
 */
public record Features(double[] values, Map<String, List<String>> matchedTerms,
    List<ExemplarIndex.Hit> neighbours, List<String> cues, boolean mentionsGender) {}

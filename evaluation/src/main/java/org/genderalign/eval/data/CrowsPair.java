package org.genderalign.eval.data;

/**
 * One CrowS-Pairs row.
 *
 * @param id the unnamed first column (row index in the original file)
 * @param sentMore the more-stereotyping sentence
 * @param sentLess the less-stereotyping sentence
 * @param stereoAntistereo {@code stereo} or {@code antistereo}
 * @param biasType e.g. {@code gender}
 */
public record CrowsPair(String id, String sentMore, String sentLess, String stereoAntistereo,
    String biasType) {}

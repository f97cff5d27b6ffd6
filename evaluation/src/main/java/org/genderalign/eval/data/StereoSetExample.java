package org.genderalign.eval.data;

import java.util.List;

/**
 * One StereoSet example (one row of the dev CSVs).
 *
 * @param id {@code intra-<row>} / {@code inter-<row>} (row = 0-based data row of its file)
 * @param split {@code intrasentence} or {@code intersentence}
 * @param prompt the prompt (with {@code BLANK} for intrasentence; the context sentence for
 *     intersentence)
 * @param choices [stereotype, anti-stereotype, unrelated]
 * @param biasType e.g. {@code gender}
 * @param target the target term (e.g. {@code schoolgirl})
 */
public record StereoSetExample(String id, String split, String prompt, List<String> choices,
    String biasType, String target) {

  public static final String INTRA = "intrasentence";
  public static final String INTER = "intersentence";

  public StereoSetExample {
    choices = List.copyOf(choices);
  }
}

package org.genderalign.eval.data;

import java.util.List;

/**
 * One BBQ question in the official jsonl schema.
 *
 * @param exampleId {@code example_id}
 * @param questionPolarity {@code neg} or {@code nonneg}
 * @param contextCondition {@code ambig} or {@code disambig}
 * @param context the context paragraph
 * @param question the question
 * @param answers {@code ans0..ans2}
 * @param answerInfo for each answer, {@code answer_info[ansK]} (two strings: surface, group tag)
 * @param stereotypedGroups {@code additional_metadata.stereotyped_groups}
 * @param label index of the correct answer (0–2)
 */
public record BbqItem(int exampleId, String questionPolarity, String contextCondition,
    String context, String question, List<String> answers, List<List<String>> answerInfo,
    List<String> stereotypedGroups, int label) {

  public BbqItem {
    answers = List.copyOf(answers);
    answerInfo = answerInfo.stream().map(List::copyOf).toList();
    stereotypedGroups = List.copyOf(stereotypedGroups);
  }

  public boolean ambiguous() {
    return "ambig".equals(contextCondition);
  }

  public boolean negative() {
    return "neg".equals(questionPolarity);
  }
}

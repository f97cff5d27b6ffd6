package org.genderalign.eval.judge;

import java.util.List;
import java.util.Objects;

/**
 * One question as a judge sees it: the question and the answers in their shown order; the answer
 * at position i carries the label {@link Blinding#label(int) label(i)} (A, B, C…). Which model
 * wrote which answer is not part of it.
 *
 * @param id the question's id ({@code set/id})
 * @param question the question (the user's turn)
 * @param answers the answers, in shown order (at least two)
 */
public record JudgeItem(String id, String question, List<String> answers) {

  public JudgeItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(question, "question");
    answers = List.copyOf(answers);
  }

  /** The number of answers. */
  public int k() {
    return answers.size();
  }
}

package org.genderalign.taxonomy.exemplar;

import java.util.Objects;
import org.genderalign.taxonomy.BiasCategory;

/**
 * One labelled question/answer pair. The label says what the answer does, read with its
 * question.
 *
 * @param id unique id, e.g. {@code st-001}
 * @param question the question (may be empty)
 * @param answer the answer that carries the label
 * @param label its category
 * @param note why it has that label, or which hard case it covers (free text, may be empty)
 */
public record Exemplar(String id, String question, String answer, BiasCategory label, String note) {

  public Exemplar {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(answer, "answer");
    Objects.requireNonNull(label, "label");
    question = question == null ? "" : question;
    note = note == null ? "" : note;
  }
}

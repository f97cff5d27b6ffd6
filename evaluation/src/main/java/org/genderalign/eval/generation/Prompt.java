package org.genderalign.eval.generation;

import java.util.Objects;

/**
 * One held-out prompt of a prompt set.
 *
 * @param set the set's name
 * @param id its id within the set (the pair's id)
 * @param text the user's turn as plain text (before any template)
 */
public record Prompt(String set, String id, String text) {

  public Prompt {
    Objects.requireNonNull(set, "set");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
  }

  /** The id every benchmark row and judgement uses: {@code set/id}. */
  public String key() {
    return set + "/" + id;
  }
}

package org.genderalign.builder.generate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One single-turn dialogue written for a seed: the human question and the aligned assistant's
 * answer (the future {@code chosen}).
 *
 * @param index 0-based index among the seed's dialogues
 * @param question the human turn (never quotes the seed verbatim)
 * @param chosen the neutral, evidence-based assistant answer
 * @param meta backend details (template: theme, angle, group; openai: model, request key)
 * @param failure null on success, else a reason id (e.g. {@code unparseable_generation}); the
 *     build counts it as a drop
 */
public record Dialogue(int index, String question, String chosen, Map<String, Object> meta, String failure) {

  public Dialogue {
    meta = meta == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(meta));
  }

  /** A successful dialogue. */
  public static Dialogue of(int index, String question, String chosen, Map<String, Object> meta) {
    return new Dialogue(index, question, chosen, meta, null);
  }

  /** A dialogue that could not be produced. */
  public static Dialogue failed(int index, String reason, Map<String, Object> meta) {
    return new Dialogue(index, "", "", meta, reason);
  }
}

package org.genderalign.core.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import lombok.Builder;

/**
 * One single-turn preference example: a prompt, the preferred ({@code chosen}) answer and the
 * dispreferred ({@code rejected}) answer. This is the unit every module exchanges: the builder
 * produces it, the formats read and write it, the trainer aligns on it, the evaluation scores it.
 *
 * <p>{@code prompt} is the user's turn as plain text (no "Human:" marker); {@code chosen} and
 * {@code rejected} are the assistant's answers as plain text. Multi-turn sources keep their
 * earlier turns inside {@code prompt} in the source's own transcript form.
 *
 * @param id stable identifier, unique within a data set (never null; readers derive one if absent)
 * @param prompt the prompt (never null, may be empty only for unconditional data)
 * @param chosen the preferred completion (never null)
 * @param rejected the dispreferred completion (never null)
 * @param category bias-taxonomy id of the rejected answer (e.g. {@code stereotypes}), or null
 * @param source where the pair came from (e.g. {@code genderalign-release}, {@code hh-rlhf})
 * @param seedId id of the seed text it was generated from, or null
 * @param metadata any further fields, in insertion order (immutable, never null)
 */
@Builder(toBuilder = true)
public record PreferencePair(
    String id,
    String prompt,
    String chosen,
    String rejected,
    String category,
    String source,
    String seedId,
    Map<String, Object> metadata) {

  public PreferencePair {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(chosen, "chosen");
    Objects.requireNonNull(rejected, "rejected");
    metadata = metadata == null || metadata.isEmpty()
        ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** The smallest complete pair: id, prompt and the two answers. */
  public static PreferencePair of(String id, String prompt, String chosen, String rejected) {
    return new PreferencePair(id, prompt, chosen, rejected, null, null, null, Map.of());
  }

  /** A copy with the rejected answer's bias category set. */
  public PreferencePair withCategory(String newCategory) {
    return toBuilder().category(newCategory).build();
  }

  /** A copy with one metadata entry added or replaced. */
  public PreferencePair withMetadata(String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(metadata);
    m.put(key, value);
    return toBuilder().metadata(m).build();
  }
}

package org.genderalign.core.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A prompt alone: what online methods (GRPO) sample completions for. TRL's "prompt-only" shape.
 *
 * @param id stable identifier within its data set (never null; readers derive one if absent)
 * @param prompt the prompt (never null)
 * @param metadata any further fields, in insertion order (immutable, never null)
 */
public record PromptExample(String id, String prompt, Map<String, Object> metadata) {

  public PromptExample {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(prompt, "prompt");
    metadata = metadata == null || metadata.isEmpty()
        ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** The smallest complete example. */
  public static PromptExample of(String id, String prompt) {
    return new PromptExample(id, prompt, Map.of());
  }

  /** A pair's prompt, under the pair's id. */
  public static PromptExample fromPair(PreferencePair pair) {
    return new PromptExample(pair.id(), pair.prompt(), Map.of());
  }
}

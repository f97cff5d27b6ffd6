package org.genderalign.builder.generate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rejected answer.
 *
 * @param text the answer text
 * @param meta backend details (template: style)
 * @param failure null on success, else a reason id counted as a drop
 */
public record Answer(String text, Map<String, Object> meta, String failure) {

  public Answer {
    meta = meta == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(meta));
  }

  public static Answer of(String text, Map<String, Object> meta) {
    return new Answer(text, meta, null);
  }

  public static Answer failed(String reason, Map<String, Object> meta) {
    return new Answer("", meta, reason);
  }
}

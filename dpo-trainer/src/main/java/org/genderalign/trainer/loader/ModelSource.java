package org.genderalign.trainer.loader;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a loaded model came from, for provenance.
 *
 * @param format {@code llama2c}, {@code gguf}, {@code huggingface}, {@code checkpoint} or
 *     {@code random}
 * @param location the name or path the user gave
 * @param files file name → sha256 of every file read (weights and tokenizer)
 */
public record ModelSource(String format, String location, Map<String, String> files) {

  public ModelSource {
    files = files == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(files));
  }

  /** The sha256 of the (first) weights file, or null. */
  public String weightsSha256() {
    return files.isEmpty() ? null : files.values().iterator().next();
  }
}

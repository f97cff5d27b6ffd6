package org.genderalign.core.format;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an import did.
 *
 * @param imported records written
 * @param skipped bad records written to {@link #rejects()} instead (only with {@link ErrorPolicy#SKIP})
 * @param rejects the rejects file, or null when nothing was skipped
 * @param flagged imported records that carry a warning flag, by flag (e.g. {@code prompt_mismatch → 5})
 */
public record ImportResult(long imported, long skipped, Path rejects, Map<String, Long> flagged) {

  public ImportResult {
    flagged = flagged == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(flagged));
  }

  /** {@code imported N, skipped M}. */
  public String summary() {
    return "imported " + imported + ", skipped " + skipped;
  }
}

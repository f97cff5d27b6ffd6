package org.genderalign.builder.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A generated candidate pair before filtering: one dialogue of one seed with its rejected
 * answer. This is what the build journals, so a resumed build never regenerates it.
 *
 * @param id {@code <seed id>-d<index>}
 * @param seedId the seed it came from
 * @param source the seed's source
 * @param dialogue dialogue index within the seed
 * @param prompt the human question
 * @param chosen the aligned answer
 * @param rejected the unaligned answer
 * @param meta generator details (theme, angle, style, model …)
 * @param failure null, or the reason generation failed (counted as a drop)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Candidate(String id, String seedId, String source, int dialogue, String prompt, String chosen,
    String rejected, Map<String, Object> meta, String failure) {

  public Candidate {
    meta = meta == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(meta));
  }
}

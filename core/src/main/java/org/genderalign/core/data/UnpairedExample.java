package org.genderalign.core.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One unpaired preference example, TRL's "unpaired preference" shape (what its KTOTrainer reads):
 * a prompt, one completion, and whether that completion is desirable ({@code label = true}) or
 * undesirable. Binary feedback of this kind needs no pair per prompt; a preference pair gives one
 * example of each label ({@link #fromPair}).
 *
 * @param id stable identifier within its data set (never null; readers derive one if absent)
 * @param prompt the prompt (never null)
 * @param completion the answer (never null)
 * @param label true for a desirable answer, false for an undesirable one
 * @param metadata any further fields, in insertion order (immutable, never null)
 */
public record UnpairedExample(String id, String prompt, String completion, boolean label,
    Map<String, Object> metadata) {

  /** Id suffix of the desirable example derived from a pair. */
  public static final String CHOSEN_SUFFIX = "-chosen";
  /** Id suffix of the undesirable example derived from a pair. */
  public static final String REJECTED_SUFFIX = "-rejected";

  public UnpairedExample {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(completion, "completion");
    metadata = metadata == null || metadata.isEmpty()
        ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** The smallest complete example. */
  public static UnpairedExample of(String id, String prompt, String completion, boolean label) {
    return new UnpairedExample(id, prompt, completion, label, Map.of());
  }

  /**
   * The two examples of a pair, as TRL's {@code unpair_preference_dataset} makes them: the chosen
   * answer desirable, the rejected one undesirable, everything else copied to both — here the
   * pair's category, source and seed id go to metadata (keys {@code category}, {@code source},
   * {@code seed_id}) next to its own metadata, plus {@code pair_id}. Ids are the pair's id with
   * {@value #CHOSEN_SUFFIX} / {@value #REJECTED_SUFFIX}.
   */
  public static List<UnpairedExample> fromPair(PreferencePair pair) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("pair_id", pair.id());
    if (pair.category() != null) {
      meta.put("category", pair.category());
    }
    if (pair.source() != null) {
      meta.put("source", pair.source());
    }
    if (pair.seedId() != null) {
      meta.put("seed_id", pair.seedId());
    }
    pair.metadata().forEach(meta::putIfAbsent);
    return List.of(
        new UnpairedExample(pair.id() + CHOSEN_SUFFIX, pair.prompt(), pair.chosen(), true, meta),
        new UnpairedExample(pair.id() + REJECTED_SUFFIX, pair.prompt(), pair.rejected(), false, meta));
  }

  /** Every pair's two examples, pair by pair (chosen, then rejected). */
  public static List<UnpairedExample> fromPairs(List<PreferencePair> pairs) {
    List<UnpairedExample> out = new java.util.ArrayList<>(2 * pairs.size());
    pairs.forEach(p -> out.addAll(fromPair(p)));
    return out;
  }
}

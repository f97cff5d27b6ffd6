package org.genderalign.trainer.dpo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The reference model's summed completion log-probs of a set of pairs (float32, as the loss
 * sees them), looked up by {@link org.genderalign.trainer.data.EncodedPair#contentKey()}.
 *
 * @param ids pair keys ({@code EncodedPair.contentKey()}), in computation order
 * @param chosen ℓc_ref per pair
 * @param rejected ℓr_ref per pair
 */
public record ReferenceLogps(List<String> ids, float[] chosen, float[] rejected) {

  public ReferenceLogps {
    ids = List.copyOf(ids);
    Objects.requireNonNull(chosen);
    Objects.requireNonNull(rejected);
    if (chosen.length != ids.size() || rejected.length != ids.size()) {
      throw new IllegalArgumentException("ids, chosen and rejected differ in length");
    }
  }

  /** Index of each id (built on demand). */
  public Map<String, Integer> index() {
    Map<String, Integer> m = new HashMap<>(ids.size() * 2);
    for (int i = 0; i < ids.size(); i++) {
      if (m.put(ids.get(i), i) != null) {
        throw new IllegalStateException("duplicate pair id '" + ids.get(i) + "'");
      }
    }
    return m;
  }
}

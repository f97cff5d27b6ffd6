package org.genderalign.trainer.dpo.loss;

import java.util.List;
import java.util.Map;

/**
 * One preference-optimisation objective. Implementations compute in the data type of their
 * inputs (float32 in training, float64 in tests) and never call {@code NDArray.mul(Number)} and
 * friends (djl-notes.md trap 1). They are stateless apart from their hyper-parameters, except
 * where a loss keeps a running statistic (BCO's reward baseline): that state changes only in
 * training passes, and {@link #state()} / {@link #restoreState} carry it through checkpoints so
 * that a resumed run continues bit-identically.
 */
public interface PreferenceLoss {

  /** The registry name ({@code sigmoid}, {@code ipo}, …; a combination joins its parts' names with commas). */
  String name();

  /** Whether the loss needs reference-model log-probs. */
  boolean needsReference();

  /** Per-pair losses and implicit rewards for one batch. */
  PreferenceLossOutput compute(PreferenceBatchLogps batch);

  /**
   * As {@link #compute(PreferenceBatchLogps)}; {@code training} tells a stateful loss whether this
   * batch may update its state (training passes do, evaluation passes do not).
   */
  default PreferenceLossOutput compute(PreferenceBatchLogps batch, boolean training) {
    return compute(batch);
  }

  /** Whether the caller must fill {@link PreferenceBatchLogps#pairWeights()} (WPO). */
  default boolean needsPairWeights() {
    return false;
  }

  /** Names of the extra metrics (the components of {@link PreferenceLossOutput#components()}), in order. */
  default List<String> componentNames() {
    return List.of();
  }

  /** The loss's mutable state as JSON-friendly values (empty for a stateless loss). */
  default Map<String, Object> state() {
    return Map.of();
  }

  /** Restores what {@link #state()} returned (from a checkpoint). */
  default void restoreState(Map<String, ?> state) {}
}

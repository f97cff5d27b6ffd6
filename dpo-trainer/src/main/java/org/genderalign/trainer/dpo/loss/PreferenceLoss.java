package org.genderalign.trainer.dpo.loss;

/**
 * One preference-optimisation objective. Implementations are stateless apart from their
 * hyper-parameters, compute in the data type of their inputs (float32 in training, float64 in
 * tests), and never call {@code NDArray.mul(Number)} and friends (djl-notes.md trap 1).
 */
public interface PreferenceLoss {

  /** The registry name ({@code sigmoid}, {@code ipo}, …). */
  String name();

  /** Whether the loss needs reference-model log-probs. */
  boolean needsReference();

  /** Per-pair losses and implicit rewards for one batch. */
  PreferenceLossOutput compute(PreferenceBatchLogps batch);
}

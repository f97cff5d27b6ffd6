package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * What every preference loss reads for a batch of B pairs: summed completion log-probabilities
 * under the policy and (for reference-based losses) the frozen reference, and completion token
 * counts. All arrays have shape (B).
 *
 * @param policyChosen ℓc, policy log p(chosen | prompt), summed over completion tokens
 * @param policyRejected ℓr
 * @param referenceChosen ℓc_ref, or null for reference-free losses
 * @param referenceRejected ℓr_ref, or null for reference-free losses
 * @param chosenLengths nc, completion token counts (any values; losses clamp to ≥ 1)
 * @param rejectedLengths nr
 */
public record PreferenceBatchLogps(
    NDArray policyChosen,
    NDArray policyRejected,
    NDArray referenceChosen,
    NDArray referenceRejected,
    NDArray chosenLengths,
    NDArray rejectedLengths) {

  public PreferenceBatchLogps {
    Objects.requireNonNull(policyChosen, "policyChosen");
    Objects.requireNonNull(policyRejected, "policyRejected");
    Objects.requireNonNull(chosenLengths, "chosenLengths");
    Objects.requireNonNull(rejectedLengths, "rejectedLengths");
    if ((referenceChosen == null) != (referenceRejected == null)) {
      throw new IllegalArgumentException("reference log-probs must be given for both or neither");
    }
  }

  /** Whether reference log-probs are present. */
  public boolean hasReference() {
    return referenceChosen != null;
  }

  /** rc = ℓc − ℓc_ref, shape (B). */
  public NDArray chosenLogRatio() {
    requireReference();
    return policyChosen.sub(referenceChosen);
  }

  /** rr = ℓr − ℓr_ref, shape (B). */
  public NDArray rejectedLogRatio() {
    requireReference();
    return policyRejected.sub(referenceRejected);
  }

  /** nc clamped to ≥ 1, in the policy's data type. */
  public NDArray chosenCounts() {
    return clampCounts(chosenLengths);
  }

  /** nr clamped to ≥ 1, in the policy's data type. */
  public NDArray rejectedCounts() {
    return clampCounts(rejectedLengths);
  }

  private NDArray clampCounts(NDArray n) {
    NDArray f = n.getDataType() == policyChosen.getDataType() ? n : n.toType(policyChosen.getDataType(), false);
    return f.maximum(Numerics.scalar(f, 1));
  }

  private void requireReference() {
    if (!hasReference()) {
      throw new IllegalStateException("this loss needs reference log-probs");
    }
  }
}

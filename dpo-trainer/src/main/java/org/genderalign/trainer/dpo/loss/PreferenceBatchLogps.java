package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * What every preference loss reads for a batch of B pairs: summed completion log-probabilities
 * under the policy and (for reference-based losses) the frozen reference, and completion token
 * counts. All arrays have shape (B).
 *
 * <p>With LD-DPO ({@code ld_alpha}) the four summed log-probs are the length-desensitised ones
 * (shared-length tokens at weight 1, the longer answer's tail at weight α), as TRL feeds them to
 * every loss; {@link #policyChosenFull} then keeps the plain sum that the {@code sft} term needs.
 *
 * @param policyChosen ℓc, policy log p(chosen | prompt), summed over completion tokens
 * @param policyRejected ℓr
 * @param referenceChosen ℓc_ref, or null for reference-free losses
 * @param referenceRejected ℓr_ref, or null for reference-free losses
 * @param chosenLengths nc, completion token counts (any values; losses clamp to ≥ 1)
 * @param rejectedLengths nr
 * @param policyChosenFull the policy's chosen log-probs summed with every token at weight 1
 *     (equal to {@code policyChosen} unless LD-DPO weighting is on)
 * @param pairWeights WPO's per-pair weights w(chosen)·w(rejected), detached, or null when WPO
 *     weighting is off
 */
public record PreferenceBatchLogps(
    NDArray policyChosen,
    NDArray policyRejected,
    NDArray referenceChosen,
    NDArray referenceRejected,
    NDArray chosenLengths,
    NDArray rejectedLengths,
    NDArray policyChosenFull,
    NDArray pairWeights) {

  public PreferenceBatchLogps {
    Objects.requireNonNull(policyChosen, "policyChosen");
    Objects.requireNonNull(policyRejected, "policyRejected");
    Objects.requireNonNull(chosenLengths, "chosenLengths");
    Objects.requireNonNull(rejectedLengths, "rejectedLengths");
    if ((referenceChosen == null) != (referenceRejected == null)) {
      throw new IllegalArgumentException("reference log-probs must be given for both or neither");
    }
    policyChosenFull = policyChosenFull == null ? policyChosen : policyChosenFull;
  }

  /** A batch without LD-DPO or WPO: the plain sums, no pair weights. */
  public PreferenceBatchLogps(NDArray policyChosen, NDArray policyRejected, NDArray referenceChosen,
      NDArray referenceRejected, NDArray chosenLengths, NDArray rejectedLengths) {
    this(policyChosen, policyRejected, referenceChosen, referenceRejected, chosenLengths, rejectedLengths, null,
        null);
  }

  /** Whether reference log-probs are present. */
  public boolean hasReference() {
    return referenceChosen != null;
  }

  /** The number of pairs B. */
  public long size() {
    return policyChosen.getShape().get(0);
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

  /** nc in the policy's data type, unclamped. */
  public NDArray chosenLengthsAsPolicyType() {
    return asPolicyType(chosenLengths);
  }

  private NDArray clampCounts(NDArray n) {
    NDArray f = asPolicyType(n);
    return f.maximum(Numerics.scalar(f, 1));
  }

  private NDArray asPolicyType(NDArray n) {
    return n.getDataType() == policyChosen.getDataType() ? n : n.toType(policyChosen.getDataType(), false);
  }

  private void requireReference() {
    if (!hasReference()) {
      throw new IllegalStateException("this loss needs reference log-probs");
    }
  }
}

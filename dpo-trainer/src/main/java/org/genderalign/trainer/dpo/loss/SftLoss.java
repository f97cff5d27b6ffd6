package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;

/**
 * The {@code sft} term: the negative log-likelihood of the chosen completions, averaged over
 * every chosen token of the batch (one token mean for the whole batch, not a mean of per-answer
 * means) — TRL v1.9.0 {@code DPOTrainer._compute_loss}, {@code loss_type="sft"}, which takes
 * {@code F.cross_entropy} over the batch's chosen completion tokens and gives that scalar to every
 * pair. Mixed with {@code sigmoid} it is RPO's DPO + NLL objective (Pang et al. 2024, "Iterative
 * Reasoning Preference Optimization", arXiv:2404.19733; Liu et al. 2024, arXiv:2405.16436) and
 * the generation term of MPO (Wang et al. 2024, arXiv:2411.10442). The log-likelihood is the plain
 * token sum even when LD-DPO reweights the log-probs the other losses see (TRL computes it from
 * the logits directly).
 *
 * <p>Per pair this returns the batch value −Σℓc / Σnc (so the mean over pairs is that value and
 * each pair's gradient share is its own tokens'). The term itself needs no reference model, but
 * like every loss of TRL's DPOTrainer it logs the rewards β·rc and β·rr, so a run of {@code sft}
 * alone still scores the reference (use {@code train sft} for plain supervised fine-tuning).
 */
public final class SftLoss extends ReferenceBasedLoss {

  public SftLoss(double beta) {
    super(beta);
  }

  @Override
  public String name() {
    return "sft";
  }

  @Override
  protected NDArray losses(PreferenceBatchLogps b, NDArray rc, NDArray rr, NDArray betaNd) {
    NDArray full = b.policyChosenFull(); // (B) plain sums
    NDArray tokens = b.chosenLengthsAsPolicyType().sum();
    tokens = tokens.maximum(Numerics.scalar(tokens, 1)); // ()
    NDArray nll = full.sum().neg().div(tokens); // () token mean over the batch
    return nll.broadcast(full.getShape()); // (B)
  }
}

package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * A loss's per-pair result: the loss to average, and the implicit rewards that TRL logs as
 * {@code rewards/*}. All arrays have shape (B).
 *
 * @param losses per-pair loss (differentiable)
 * @param chosenRewards β·rc for reference-based losses, β·ℓc/nc for reference-free ones
 * @param rejectedRewards β·rr, or β·ℓr/nr
 * @param components for a combination of losses, each term's per-pair loss before its weight,
 *     keyed by its metric name ({@code loss/sigmoid}, {@code nll_loss}…); empty for one loss
 */
public record PreferenceLossOutput(NDArray losses, NDArray chosenRewards, NDArray rejectedRewards,
    Map<String, NDArray> components) {

  public PreferenceLossOutput {
    components = components == null ? Map.of() : components;
  }

  /** One loss's result: no components. */
  public PreferenceLossOutput(NDArray losses, NDArray chosenRewards, NDArray rejectedRewards) {
    this(losses, chosenRewards, rejectedRewards, Map.of());
  }

  /** The batch loss: mean over pairs, shape (). */
  public NDArray meanLoss() {
    return losses.mean();
  }
}

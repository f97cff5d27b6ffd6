package org.genderalign.trainer.kto;

import ai.djl.ndarray.NDArray;
import org.genderalign.trainer.dpo.loss.Numerics;

/**
 * The per-example losses of TRL v1.9.0's KTOTrainer ({@code KTOTrainer._compute_loss}). With
 * r = log π(y|x) − log π_ref(y|x) and the batch's KL baseline z₀ ≥ 0:
 *
 * <ul>
 *   <li>{@code kto} (Ethayarajh et al. 2024, "KTO: Model Alignment as Prospect Theoretic
 *       Optimization", arXiv:2402.01306, Eq. 7): desirable λ_D·(1 − σ(β(r − z₀))), undesirable
 *       λ_U·(1 − σ(β(z₀ − r)));</li>
 *   <li>{@code apo_zero_unpaired} (D'Oosterlinck et al. 2024, arXiv:2408.06266, unpaired Eq. 7):
 *       the same with z₀ = 0 — desirable λ_D·(1 − σ(βr)), undesirable λ_U·σ(βr).</li>
 * </ul>
 *
 * λ_D, λ_U are {@code desirable_weight} and {@code undesirable_weight}; the batch loss is the mean
 * over all examples. 1 − σ(x) is computed as σ(−x) (no cancellation). z₀ is TRL's estimate:
 * the mean over the batch of log π(y'|x) − log π_ref(y'|x) on mismatched pairs (each prompt with
 * its neighbour's completion, see {@link KtoCollator}), without gradient, clamped at 0.
 */
public final class KtoLoss {

  private final KtoLossConfig config;

  public KtoLoss(KtoLossConfig config) {
    this.config = config;
  }

  public KtoLossConfig config() {
    return config;
  }

  /**
   * @param logRatios (B) r per example
   * @param labels per example, true for desirable
   * @param kl () the detached, clamped KL baseline (ignored by {@code apo_zero_unpaired})
   * @return (B) per-example losses, weighted
   */
  public NDArray losses(NDArray logRatios, boolean[] labels, NDArray kl) {
    int b = labels.length;
    float[] sign = new float[b];
    float[] weight = new float[b];
    for (int i = 0; i < b; i++) {
      sign[i] = labels[i] ? -1f : 1f;
      weight[i] = (float) (labels[i] ? config.desirableWeight() : config.undesirableWeight());
    }
    NDArray x = config.needsKl() ? logRatios.sub(kl.toType(logRatios.getDataType(), false)) : logRatios;
    x = x.mul(Numerics.scalar(x, config.beta())); // (B) β(r − z₀)
    var m = logRatios.getManager();
    NDArray s = m.create(sign).toType(x.getDataType(), false);
    NDArray w = m.create(weight).toType(x.getDataType(), false);
    return Numerics.sigmoid(x.mul(s)).mul(w); // desirable σ(−x), undesirable σ(x)
  }
}

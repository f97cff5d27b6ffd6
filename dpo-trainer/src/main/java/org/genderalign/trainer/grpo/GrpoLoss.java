package org.genderalign.trainer.grpo;

import ai.djl.ndarray.NDArray;
import java.util.Objects;
import org.genderalign.trainer.dpo.loss.Numerics;

/**
 * TRL's GRPO loss ({@code GRPOTrainer._compute_loss}, token-level importance sampling): per
 * completion token,
 *
 * <pre>
 *   ratio  = exp(logp − logp_old)
 *   loss_t = −min(ratio · A, clip(ratio, 1 − ε_low, 1 + ε_high) · A) + β · (exp(ref − logp) − (ref − logp) − 1)
 * </pre>
 *
 * aggregated by the loss type. Each aggregation is written as a sum over the batch's "units" so
 * that the training loop, which divides the summed loss of a step by the step's units, gives
 * exactly TRL's value with gradient accumulation: {@code dapo} sums token losses over the tokens of
 * the step (TRL's {@code num_items_in_batch}); {@code grpo} sums per-sequence token means over the
 * sequences; {@code bnpo} is the micro-batch's token mean times its sequences (micro-batches of
 * equal size, as TRL's); {@code dr_grpo} sums token losses over rows × {@code maxCompletionLength}.
 */
public final class GrpoLoss {

  private final GrpoLossConfig config;

  public GrpoLoss(GrpoLossConfig config) {
    this.config = Objects.requireNonNull(config);
  }

  public GrpoLossConfig config() {
    return config;
  }

  /**
   * One batch's loss and TRL's metrics over it.
   *
   * @param lossSum the summed loss (differentiable); {@code lossSum / units} is TRL's loss of this
   *     batch alone
   * @param units what the sum is over (tokens for {@code dapo}, sequences otherwise)
   * @param tokens the completion tokens (mask sum)
   * @param klSum Σ over tokens of the k3 KL (0 when β = 0)
   * @param lowClipped tokens with ratio < 1 − ε_low and A < 0
   * @param highClipped tokens with ratio > 1 + ε_high and A > 0
   */
  public record Result(NDArray lossSum, double units, double tokens, double klSum, double lowClipped,
      double highClipped) {

    /** TRL's loss of this batch alone (no accumulation). */
    public double loss() {
      return lossSum.getFloat() / units;
    }

    /** TRL's {@code kl} of this batch: the token mean. */
    public double kl() {
      return klSum / Math.max(1, tokens);
    }

    /** TRL's {@code clip_ratio/low_mean}. */
    public double lowClipRatio() {
      return lowClipped / Math.max(1, tokens);
    }

    /** TRL's {@code clip_ratio/high_mean}. */
    public double highClipRatio() {
      return highClipped / Math.max(1, tokens);
    }

    /** TRL's {@code clip_ratio/region_mean} (the two never overlap). */
    public double regionClipRatio() {
      return (lowClipped + highClipped) / Math.max(1, tokens);
    }
  }

  /**
   * @param logps (N, L) the policy's log-probs of each completion position, differentiable
   * @param oldLogps (N, L) the sampling policy's, or null when they equal {@code logps} (one
   *     iteration per generation: TRL uses {@code logps.detach()})
   * @param refLogps (N, L) the reference's, or null when β = 0
   * @param advantages (N) one per completion
   * @param mask (N, L) float32, 1 on completion tokens
   */
  public Result compute(NDArray logps, NDArray oldLogps, NDArray refLogps, NDArray advantages, NDArray mask) {
    if (config.beta() != 0 && refLogps == null) {
      throw new IllegalArgumentException("beta != 0 needs the reference log-probs");
    }
    NDArray old = oldLogps == null ? logps.stopGradient() : oldLogps;
    NDArray coef1 = logps.sub(old).exp(); // (N, L)
    NDArray coef2 = coef1.maximum(Numerics.scalar(coef1, 1 - config.epsilon()))
        .minimum(Numerics.scalar(coef1, 1 + config.upperEpsilon())); // (N, L)
    NDArray adv = advantages.expandDims(1); // (N, 1)
    NDArray perToken = coef1.mul(adv).minimum(coef2.mul(adv)).neg(); // (N, L)
    NDArray kl = null;
    if (config.beta() != 0) {
      NDArray d = refLogps.sub(logps); // (N, L)
      kl = d.exp().sub(d).sub(Numerics.scalar(d, 1)); // (N, L) k3
      perToken = perToken.add(kl.mul(Numerics.scalar(kl, config.beta())));
    }
    NDArray masked = perToken.mul(mask); // (N, L)
    long n = logps.getShape().get(0);
    NDArray one = Numerics.scalar(mask, 1);
    NDArray lossSum;
    double units;
    double tokens = mask.sum().getFloat();
    switch (config.lossType()) {
      case "dapo":
        lossSum = masked.sum();
        units = tokens;
        break;
      case "grpo":
        lossSum = masked.sum(new int[] {1}).div(mask.sum(new int[] {1}).maximum(one)).sum();
        units = n;
        break;
      case "bnpo":
        lossSum = masked.sum().div(mask.sum().maximum(one)).mul(Numerics.scalar(mask, n));
        units = n;
        break;
      case "dr_grpo":
        lossSum = masked.sum().div(Numerics.scalar(mask, config.maxCompletionLength()));
        units = n;
        break;
      default:
        throw new IllegalStateException(config.lossType());
    }
    // metrics on the host, from detached values
    float[] c = coef1.stopGradient().toFloatArray();
    float[] a = advantages.toFloatArray();
    float[] m = mask.toFloatArray();
    float[] k = kl == null ? null : kl.stopGradient().toFloatArray();
    int len = (int) (n == 0 ? 0 : c.length / n);
    double klSum = 0;
    double low = 0;
    double high = 0;
    for (int i = 0; i < c.length; i++) {
      if (m[i] == 0) {
        continue;
      }
      float ai = a[i / len];
      if (c[i] < (float) (1 - config.epsilon()) && ai < 0) {
        low++;
      }
      if (c[i] > (float) (1 + config.upperEpsilon()) && ai > 0) {
        high++;
      }
      if (k != null) {
        klSum += k[i];
      }
    }
    return new Result(lossSum, units, tokens, klSum, low, high);
  }
}

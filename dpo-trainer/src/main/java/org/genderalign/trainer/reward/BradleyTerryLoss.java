package org.genderalign.trainer.reward;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.trainer.dpo.loss.Numerics;

/**
 * The reward model's objective as TRL's {@code RewardTrainer.compute_loss} defines it, per pair:
 * {@code −log σ(r_c − r_r − m) + coef · (r_c + r_r)²}, where {@code m} is the pair's optional
 * {@code margin} (0 when absent) and {@code coef} the {@code center_rewards_coefficient} (no
 * centring term when null). The batch loss is the mean over pairs, so TRL's
 * {@code coef · mean((r_c + r_r)²)} is the mean of the per-pair terms. Written with softplus so
 * that it never overflows, and with every constant an NDArray (djl-notes.md trap 1).
 *
 * <p>Metrics, named as TRL's reward trainer logs them ({@code accuracy}, {@code margin},
 * {@code min_reward}, {@code mean_reward}, {@code max_reward}) plus the DPO-style
 * {@code rewards/chosen}, {@code rewards/rejected}, {@code rewards/margins} so that reward and
 * DPO runs read alike. Accuracy is strict: a tie counts 0, as {@code r_c > r_r} does in TRL.
 */
public final class BradleyTerryLoss {

  public static final String LOSS = "loss";
  public static final String ACCURACY = "accuracy";
  public static final String REWARDS_CHOSEN = "rewards/chosen";
  public static final String REWARDS_REJECTED = "rewards/rejected";
  public static final String REWARDS_MARGINS = "rewards/margins";
  /** TRL's name for mean(r_c − r_r). */
  public static final String MARGIN = "margin";
  /** TRL: the smallest reward of a (micro-)batch, averaged over the batches of a log window. */
  public static final String MIN_REWARD = "min_reward";
  public static final String MEAN_REWARD = "mean_reward";
  public static final String MAX_REWARD = "max_reward";

  /** Every metric, in logging order. */
  public static final List<String> METRICS = List.of(LOSS, ACCURACY, REWARDS_CHOSEN, REWARDS_REJECTED,
      REWARDS_MARGINS, MARGIN, MIN_REWARD, MEAN_REWARD, MAX_REWARD);

  private BradleyTerryLoss() {}

  /**
   * Per-pair losses.
   *
   * @param chosen r_c, (B) float32
   * @param rejected r_r, (B) float32
   * @param margin m, (B) float32, or null for no margin
   * @param centerCoefficient {@code center_rewards_coefficient}, or null for none
   * @return (B) float32, differentiable
   */
  public static NDArray losses(NDArray chosen, NDArray rejected, NDArray margin, Double centerCoefficient) {
    NDArray z = chosen.sub(rejected); // (B)
    if (margin != null) {
      z = z.sub(margin);
    }
    NDArray loss = Numerics.negLogSigmoid(z);
    if (centerCoefficient != null) {
      NDArray sum = chosen.add(rejected);
      loss = loss.add(sum.mul(sum).mul(Numerics.scalar(sum, centerCoefficient)));
    }
    return loss;
  }

  /**
   * The metrics of one batch as sums over its pairs (the loop divides by the pairs of the log
   * window): means times B, and for {@code min_reward}/{@code max_reward} the batch's extreme
   * times B, so that the window value is the mean of the batches' extremes, as TRL averages them.
   *
   * @param chosen r_c per pair
   * @param rejected r_r per pair
   * @param losses the per-pair losses
   */
  public static Map<String, Double> metricSums(float[] chosen, float[] rejected, float[] losses) {
    int b = chosen.length;
    double loss = 0;
    double acc = 0;
    double rc = 0;
    double rr = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < b; i++) {
      loss += losses[i];
      acc += chosen[i] > rejected[i] ? 1 : 0;
      rc += chosen[i];
      rr += rejected[i];
      min = Math.min(min, Math.min(chosen[i], rejected[i]));
      max = Math.max(max, Math.max(chosen[i], rejected[i]));
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(LOSS, loss);
    m.put(ACCURACY, acc);
    m.put(REWARDS_CHOSEN, rc);
    m.put(REWARDS_REJECTED, rr);
    m.put(REWARDS_MARGINS, rc - rr);
    m.put(MARGIN, rc - rr);
    m.put(MIN_REWARD, min * b);
    m.put(MEAN_REWARD, (rc + rr) / 2);
    m.put(MAX_REWARD, max * b);
    return m;
  }
}

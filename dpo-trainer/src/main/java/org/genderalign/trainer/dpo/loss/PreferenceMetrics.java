package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The batch metrics of a preference loss, named as TRL names them so that runs compare with
 * Python baselines: {@code loss}, {@code rewards/chosen}, {@code rewards/rejected},
 * {@code rewards/margins}, {@code rewards/accuracies} (strict: ties count 0),
 * {@code logps/chosen}, {@code logps/rejected}; for reference-based losses
 * {@code objective/kl}, the drift from the reference ({@link #OBJECTIVE_KL}); and for a
 * combination of losses each term's mean ({@link CombinedLoss#metricName}).
 */
public final class PreferenceMetrics {

  public static final String LOSS = "loss";
  public static final String REWARDS_CHOSEN = "rewards/chosen";
  public static final String REWARDS_REJECTED = "rewards/rejected";
  public static final String REWARDS_MARGINS = "rewards/margins";
  public static final String REWARDS_ACCURACIES = "rewards/accuracies";
  public static final String LOGPS_CHOSEN = "logps/chosen";
  public static final String LOGPS_REJECTED = "logps/rejected";
  /**
   * KL to the reference, named as TRL's online DPO, PPO and XPO trainers log it
   * ({@code objective/kl} = mean over sequences of Σ_t (log π − log π_ref), the k1 estimator
   * summed per sequence). TRL's offline {@code DPOTrainer} logs no KL; offline, the sequences are
   * the data set's chosen and rejected completions rather than samples of the policy, so this is
   * the per-sequence estimate on the training data: the mean of
   * ℓ − ℓ_ref over the batch's 2B completions (with LD-DPO, of the α-weighted sums the loss reads).
   * It equals (rewards/chosen + rewards/rejected) / (2β) for the sigmoid loss; it rises as the
   * policy drifts, and a large value warns that the aligned model stops being the model it was.
   */
  public static final String OBJECTIVE_KL = "objective/kl";

  private PreferenceMetrics() {}

  /** Batch means of one batch's loss output (values are copied out; no graph is kept). */
  public static Map<String, Double> of(PreferenceBatchLogps batch, PreferenceLossOutput out) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(LOSS, mean(out.losses()));
    m.put(REWARDS_CHOSEN, mean(out.chosenRewards()));
    m.put(REWARDS_REJECTED, mean(out.rejectedRewards()));
    m.put(REWARDS_MARGINS, mean(out.chosenRewards().sub(out.rejectedRewards())));
    m.put(REWARDS_ACCURACIES, mean(out.chosenRewards().gt(out.rejectedRewards())));
    m.put(LOGPS_CHOSEN, mean(batch.policyChosen()));
    m.put(LOGPS_REJECTED, mean(batch.policyRejected()));
    if (batch.hasReference()) {
      // the two halves have B sequences each, so the mean over 2B is the mean of the halves' means
      m.put(OBJECTIVE_KL, (mean(batch.policyChosen().sub(batch.referenceChosen()))
          + mean(batch.policyRejected().sub(batch.referenceRejected()))) / 2);
    }
    out.components().forEach((name, losses) -> m.put(name, mean(losses)));
    return m;
  }

  /** Per-pair values copied to Java, for sums over several micro-batches: index i of each. */
  public static double[][] perPair(PreferenceBatchLogps batch, PreferenceLossOutput out) {
    return new double[][] {
        toDoubles(out.losses()), toDoubles(out.chosenRewards()), toDoubles(out.rejectedRewards()),
        toDoubles(batch.policyChosen()), toDoubles(batch.policyRejected())};
  }

  static double mean(NDArray a) {
    double[] d = toDoubles(a);
    double s = 0;
    for (double v : d) {
      s += v;
    }
    return d.length == 0 ? Double.NaN : s / d.length;
  }

  /** The values of a 1-D array as doubles, whatever its type; detached from any graph. */
  public static double[] toDoubles(NDArray a) {
    NDArray d = a.stopGradient().toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
    return d.toDoubleArray();
  }
}

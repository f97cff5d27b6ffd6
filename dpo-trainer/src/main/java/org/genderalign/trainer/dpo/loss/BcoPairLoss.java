package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * BCO on pairs (Jung et al. 2024, "Binary Classifier Optimization for Large Language Model
 * Alignment", arXiv:2404.04656): a binary classifier whose logit is the implicit reward, chosen
 * answers labelled 1 and rejected ones 0:
 *
 * <pre>  −log σ(β·rc − δ) − log σ(−(β·rr − δ))</pre>
 *
 * TRL v1.9.0 ({@code DPOTrainer._compute_loss}, {@code loss_type="bco_pair"}) uses δ = 0, the
 * default here. TRL ≤ 0.28 used a running reward baseline instead: δ is the running mean of the
 * per-batch means of all 2B rewards {β·rc, β·rr} (its {@code RunningMoments}: each training batch
 * counts once, δ ← δ + (m − δ)/(n + 1), n starting at 1e-24, updated before the batch's loss is
 * taken); {@code runningBaseline = true} gives that. The baseline is updated by training passes
 * only (TRL ≤ 0.28 also updated it in evaluation) and travels through checkpoints via
 * {@link #state()}, so a resumed run continues with the same δ bit for bit. Under data parallel
 * each replica's shard updates it in replica order.
 */
public final class BcoPairLoss extends ReferenceBasedLoss {

  private final boolean runningBaseline;
  private double mean;
  private double count = 1e-24;

  public BcoPairLoss(double beta, boolean runningBaseline) {
    super(beta);
    this.runningBaseline = runningBaseline;
  }

  @Override
  public String name() {
    return "bco_pair";
  }

  /** The current baseline δ (0 without a running baseline). */
  public double baseline() {
    return runningBaseline ? mean : 0;
  }

  @Override
  protected NDArray losses(PreferenceBatchLogps b, NDArray rc, NDArray rr, NDArray betaNd) {
    return losses(b, rc, rr, betaNd, false);
  }

  @Override
  protected NDArray losses(PreferenceBatchLogps b, NDArray rc, NDArray rr, NDArray betaNd, boolean training) {
    NDArray chosen = rc.mul(betaNd); // (B)
    NDArray rejected = rr.mul(betaNd);
    if (runningBaseline && training) {
      // the batch mean of all 2B rewards, detached (float64 in Java)
      double m = PreferenceMetrics.mean(chosen.concat(rejected));
      double total = count + 1;
      mean += (m - mean) / total;
      count = total;
    }
    if (runningBaseline) {
      NDArray delta = Numerics.scalar(chosen, mean);
      chosen = chosen.sub(delta);
      rejected = rejected.sub(delta);
    }
    return Numerics.negLogSigmoid(chosen).add(Numerics.softplus(rejected));
  }

  @Override
  public Map<String, Object> state() {
    if (!runningBaseline) {
      return Map.of();
    }
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("mean", mean);
    s.put("count", count);
    return s;
  }

  @Override
  public void restoreState(Map<String, ?> state) {
    if (runningBaseline && state.containsKey("mean")) {
      mean = ((Number) state.get("mean")).doubleValue();
      count = ((Number) state.get("count")).doubleValue();
    }
  }
}

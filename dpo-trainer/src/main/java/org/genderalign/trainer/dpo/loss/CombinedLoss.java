package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TRL's list of losses with weights ({@code loss_type=[…]}, {@code loss_weights=[…]}), and WPO
 * weighting ({@code use_weighting}): per pair,
 *
 * <pre>  Σ_k w_k · ω · ℓ_k</pre>
 *
 * where ℓ_k is the k-th loss's per-pair value and ω the pair's WPO weight (1 without WPO), so the
 * batch mean is TRL's {@code Σ_k w_k · mean(ω·ℓ_k)} (TRL v1.9.0 {@code DPOTrainer._compute_loss}).
 * MPO is {@code sigmoid, bco_pair, sft} with weights {@code 0.8, 0.2, 1.0}.
 *
 * <p>WPO (Zhou et al. 2024, "WPO: Enhancing RLHF with Weighted Preference Optimization",
 * arXiv:2406.11827, Eq. 2) weights each pair by w(chosen)·w(rejected), where w(y) is the
 * exponentiated mean over y's tokens of log π(y_t) − log Σ_v π(v)² (computed without gradient by
 * the caller; see {@link PreferenceBatchLogps#pairWeights()}).
 *
 * <p>With more than one loss each term's mean (after ω, before w_k) is logged as
 * {@code loss/<name>} — except {@code sft}, logged as {@code nll_loss}, TRL's name for that term
 * (≤ 0.28). The logged rewards are those of the first reference-based loss (β·rc, β·rr, as TRL
 * logs whatever the loss), else of the first loss. Stateful parts keep their state under their
 * name.
 */
public final class CombinedLoss implements PreferenceLoss {

  private final List<PreferenceLoss> parts;
  private final double[] weights;
  private final boolean wpo;

  /**
   * @param parts the losses, distinct names
   * @param weights one weight per loss
   * @param wpo whether to weight pairs by {@link PreferenceBatchLogps#pairWeights()}
   */
  public CombinedLoss(List<PreferenceLoss> parts, List<Double> weights, boolean wpo) {
    if (parts.isEmpty() || parts.size() != weights.size()) {
      throw new IllegalArgumentException("need one weight per loss, got " + parts.size() + " losses and "
          + weights.size() + " weights");
    }
    this.parts = List.copyOf(parts);
    this.weights = weights.stream().mapToDouble(Double::doubleValue).toArray();
    this.wpo = wpo;
  }

  /** The metric name of a component: {@code nll_loss} for sft (TRL's name), else {@code loss/<name>}. */
  public static String metricName(String loss) {
    return loss.equals("sft") ? "nll_loss" : "loss/" + loss;
  }

  @Override
  public String name() {
    return String.join(",", parts.stream().map(PreferenceLoss::name).toList());
  }

  @Override
  public boolean needsReference() {
    return parts.stream().anyMatch(PreferenceLoss::needsReference);
  }

  @Override
  public boolean needsPairWeights() {
    return wpo;
  }

  @Override
  public List<String> componentNames() {
    if (parts.size() < 2) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    parts.forEach(p -> out.add(metricName(p.name())));
    return out;
  }

  @Override
  public PreferenceLossOutput compute(PreferenceBatchLogps batch) {
    return compute(batch, false);
  }

  @Override
  public PreferenceLossOutput compute(PreferenceBatchLogps batch, boolean training) {
    if (wpo && batch.pairWeights() == null) {
      throw new IllegalStateException("WPO weighting needs the batch's pair weights");
    }
    NDArray total = null;
    PreferenceLossOutput rewardsFrom = null;
    PreferenceLossOutput first = null;
    Map<String, NDArray> components = new LinkedHashMap<>();
    for (int k = 0; k < parts.size(); k++) {
      PreferenceLoss part = parts.get(k);
      PreferenceLossOutput out = part.compute(batch, training);
      first = first == null ? out : first;
      NDArray l = out.losses(); // (B)
      if (wpo) {
        l = l.mul(batch.pairWeights().toType(l.getDataType(), false));
      }
      NDArray term = l.mul(Numerics.scalar(l, weights[k]));
      total = total == null ? term : total.add(term);
      if (parts.size() > 1) {
        components.put(metricName(part.name()), l);
      }
      if (rewardsFrom == null && part.needsReference()) {
        rewardsFrom = out;
      }
    }
    rewardsFrom = rewardsFrom == null ? first : rewardsFrom;
    return new PreferenceLossOutput(total, rewardsFrom.chosenRewards(), rewardsFrom.rejectedRewards(), components);
  }

  @Override
  public Map<String, Object> state() {
    Map<String, Object> s = new LinkedHashMap<>();
    for (PreferenceLoss p : parts) {
      Map<String, Object> ps = p.state();
      if (!ps.isEmpty()) {
        s.put(p.name(), ps);
      }
    }
    return s;
  }

  @Override
  public void restoreState(Map<String, ?> state) {
    for (PreferenceLoss p : parts) {
      Object ps = state.get(p.name());
      if (ps instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, ?> typed = (Map<String, ?>) m;
        p.restoreState(typed);
      }
    }
  }
}

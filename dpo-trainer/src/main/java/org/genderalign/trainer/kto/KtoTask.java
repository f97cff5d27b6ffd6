package org.genderalign.trainer.kto;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.dpo.ReferenceModel;
import org.genderalign.trainer.dpo.loss.Numerics;
import org.genderalign.trainer.dpo.loss.PreferenceMetrics;
import org.genderalign.trainer.training.CompletionBatch;
import org.genderalign.trainer.training.MicroBatchResult;
import org.genderalign.trainer.training.PolicyModel;
import org.genderalign.trainer.training.SequenceLogProbs;
import org.genderalign.trainer.training.TrainingTask;

/**
 * KTO as a {@link TrainingTask}. Before the gradient collector opens ({@link #prepare}): one
 * reference pass over the batch's rows and its KL rows together, and the policy's pass over the
 * KL rows (no gradient, as TRL computes it under {@code no_grad}; without dropout), giving the KL
 * baseline z₀ = max(0, mean(log π − log π_ref) over the KL rows). Then the policy's pass over the
 * batch and the {@link KtoLoss}. The unit of the mean is the example.
 *
 * <p>Metrics as TRL's KTOTrainer logs them: {@code loss}; and, each as the mean over the logging
 * window of per-batch values (as TRL averages its per-batch lists), {@code kl},
 * {@code rewards/chosen} and {@code logps/chosen} (over the batch's desirable examples),
 * {@code rewards/rejected} and {@code logps/rejected} (undesirable), and {@code rewards/margins}
 * (their difference, from batches holding both) — a batch without desirable examples adds nothing
 * to the desirable means, as in TRL.
 */
public final class KtoTask implements TrainingTask<KtoExample> {

  public static final String KL = "kl";
  static final List<String> METRICS = List.of(PreferenceMetrics.LOSS, KL, PreferenceMetrics.REWARDS_CHOSEN,
      PreferenceMetrics.REWARDS_REJECTED, PreferenceMetrics.REWARDS_MARGINS, PreferenceMetrics.LOGPS_CHOSEN,
      PreferenceMetrics.LOGPS_REJECTED);

  private final PolicyModel policy;
  private final ReferenceModel reference;
  private final KtoLoss loss;
  private final KtoCollator collator;
  private final Provenance provenance;

  public KtoTask(PolicyModel policy, ReferenceModel reference, KtoLoss loss, KtoCollator collator,
      Provenance provenance) {
    this.policy = policy;
    this.reference = reference;
    this.loss = loss;
    this.collator = collator;
    this.provenance = provenance;
  }

  @Override
  public String name() {
    return "kto";
  }

  @Override
  public Map<String, Parameter> trainableParameters() {
    return policy.trainableParameters();
  }

  @Override
  public String id(KtoExample e) {
    return e.id();
  }

  @Override
  public double units(KtoExample e) {
    return 1;
  }

  @Override
  public List<String> metricNames() {
    return METRICS;
  }

  /** What {@link #prepare} hands to {@link #forward}: reference log-probs (B) and the KL baseline (). */
  record Prepared(NDArray referenceLogps, NDArray kl) {}

  @Override
  public Object prepare(ParameterStore weights, NDManager step, List<KtoExample> batch) {
    int b = batch.size();
    if (!loss.config().needsKl()) {
      return new Prepared(reference.logps(weights, step, collator.collate(batch)), step.create(0f));
    }
    NDArray ref = reference.logps(weights, step, collator.collateWithKl(batch)); // (2B): main, then KL rows
    CompletionBatch klRows = collator.collateKl(batch);
    NDArray klIds = klRows.inputIdsArray(step); // (B, T')
    NDArray klPolicy = SequenceLogProbs.sum(policy.logits(weights, klIds, false), klIds,
        klRows.maskArray(step, DataType.FLOAT32)).stopGradient(); // (B)
    NDArray kl = klPolicy.sub(ref.get(b + ":")).mean(); // ()
    kl = kl.maximum(Numerics.scalar(kl, 0)).stopGradient();
    return new Prepared(ref.get("0:" + b), kl);
  }

  @Override
  public MicroBatchResult forward(ParameterStore weights, NDManager step, List<KtoExample> batch, boolean training,
      Object prepared) {
    Prepared p = (Prepared) prepared;
    CompletionBatch rows = collator.collate(batch);
    NDArray ids = rows.inputIdsArray(step); // (B, T)
    NDArray logps = SequenceLogProbs.sum(policy.logits(weights, ids, training), ids,
        rows.maskArray(step, DataType.FLOAT32)); // (B)
    NDArray ratios = logps.sub(p.referenceLogps()); // (B) r
    boolean[] labels = new boolean[batch.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = batch.get(i).label();
    }
    NDArray losses = loss.losses(ratios, labels, p.kl()); // (B)
    NDArray lossSum = losses.sum();

    double beta = loss.config().beta();
    double[] r = PreferenceMetrics.toDoubles(ratios);
    double[] lp = PreferenceMetrics.toDoubles(logps);
    double chosenReward = 0;
    double rejectedReward = 0;
    double chosenLogp = 0;
    double rejectedLogp = 0;
    int desirable = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i]) {
        desirable++;
        chosenReward += beta * r[i];
        chosenLogp += lp[i];
      } else {
        rejectedReward += beta * r[i];
        rejectedLogp += lp[i];
      }
    }
    int undesirable = labels.length - desirable;
    Map<String, Double> sums = new LinkedHashMap<>();
    Map<String, Double> counts = new LinkedHashMap<>();
    sums.put(PreferenceMetrics.LOSS, (double) lossSum.getFloat());
    perBatch(sums, counts, KL, p.kl().getFloat());
    if (desirable > 0) {
      perBatch(sums, counts, PreferenceMetrics.REWARDS_CHOSEN, chosenReward / desirable);
      perBatch(sums, counts, PreferenceMetrics.LOGPS_CHOSEN, chosenLogp / desirable);
    }
    if (undesirable > 0) {
      perBatch(sums, counts, PreferenceMetrics.REWARDS_REJECTED, rejectedReward / undesirable);
      perBatch(sums, counts, PreferenceMetrics.LOGPS_REJECTED, rejectedLogp / undesirable);
    }
    if (desirable > 0 && undesirable > 0) {
      perBatch(sums, counts, PreferenceMetrics.REWARDS_MARGINS,
          chosenReward / desirable - rejectedReward / undesirable);
    }
    long tokens = 0;
    for (KtoExample e : batch) {
      tokens += e.prompt().length + e.completion().length;
    }
    return new MicroBatchResult(lossSum, sums, tokens, counts);
  }

  /** A metric logged as the mean of per-batch values: this batch's value, counted once. */
  private static void perBatch(Map<String, Double> sums, Map<String, Double> counts, String name, double value) {
    sums.put(name, value);
    counts.put(name, 1.0);
  }

  @Override
  public void saveFinal(Path dir) throws IOException {
    policy.saveFinal(dir, provenance);
  }
}

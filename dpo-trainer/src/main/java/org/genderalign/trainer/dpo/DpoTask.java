package org.genderalign.trainer.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.data.EncodedPair;
import org.genderalign.trainer.dpo.loss.PreferenceBatchLogps;
import org.genderalign.trainer.dpo.loss.PreferenceLoss;
import org.genderalign.trainer.dpo.loss.PreferenceLossOutput;
import org.genderalign.trainer.dpo.loss.PreferenceMetrics;
import org.genderalign.trainer.score.LogLikelihoodScorer;
import org.genderalign.trainer.score.PairScore;
import org.genderalign.trainer.training.CompletionBatch;
import org.genderalign.trainer.training.MicroBatchResult;
import org.genderalign.trainer.training.PolicyModel;
import org.genderalign.trainer.training.SequenceLogProbs;
import org.genderalign.trainer.training.TrainingTask;

/**
 * DPO and its variants as a {@link TrainingTask}: one forward pass of the policy over 2B rows
 * (chosen then rejected), reference log-probs from a precomputed table or a live reference
 * pass made before the gradient collector opens, the configured {@link PreferenceLoss} in
 * float32, and TRL's metrics. The unit of the mean is the pair. One log-softmax per forward
 * pass feeds every sum the loss needs: the plain sums, LD-DPO's α-weighted sums (when the
 * collator sets token weights) and WPO's pair weights (when the loss asks for them).
 */
public final class DpoTask implements TrainingTask<EncodedPair> {

  private final PolicyModel policy;
  private final ReferenceModel reference;
  private final PreferenceLoss loss;
  private final DpoCollator collator;
  private final Provenance provenance;
  private Map<String, Integer> precomputedIndex;
  private ReferenceLogps precomputed;

  /**
   * @param policy the trained network
   * @param reference the live reference (null for reference-free losses or when every pair's
   *     reference log-probs are precomputed)
   * @param loss the objective
   * @param collator batch layout
   * @param provenance written with the final model
   */
  public DpoTask(PolicyModel policy, ReferenceModel reference, PreferenceLoss loss, DpoCollator collator,
      Provenance provenance) {
    this.policy = policy;
    this.reference = reference;
    this.loss = loss;
    this.collator = collator;
    this.provenance = provenance;
  }

  /** Uses precomputed reference log-probs for every pair they cover (the rest go live). */
  public DpoTask usePrecomputed(ReferenceLogps values) {
    this.precomputed = values;
    this.precomputedIndex = values == null ? null : values.index();
    return this;
  }

  @Override
  public String name() {
    return "dpo";
  }

  @Override
  public Map<String, Parameter> trainableParameters() {
    return policy.trainableParameters();
  }

  @Override
  public String id(EncodedPair e) {
    return e.id();
  }

  @Override
  public double units(EncodedPair e) {
    return 1;
  }

  @Override
  public List<String> metricNames() {
    List<String> names = new ArrayList<>(List.of(PreferenceMetrics.LOSS, PreferenceMetrics.REWARDS_CHOSEN,
        PreferenceMetrics.REWARDS_REJECTED, PreferenceMetrics.REWARDS_MARGINS, PreferenceMetrics.REWARDS_ACCURACIES,
        PreferenceMetrics.LOGPS_CHOSEN, PreferenceMetrics.LOGPS_REJECTED));
    if (loss.needsReference()) {
      names.add(PreferenceMetrics.OBJECTIVE_KL);
    }
    names.addAll(loss.componentNames());
    return names;
  }

  /** The loss's running state (BCO's baseline), saved with every checkpoint. */
  @Override
  public Map<String, Object> state() {
    return loss.state();
  }

  @Override
  public void restoreState(Map<String, ?> state) {
    loss.restoreState(state);
  }

  /** What {@link #prepare} hands to {@link #forward}: the laid-out batch and reference log-probs (2B) or null. */
  record Prepared(CompletionBatch batch, NDArray referenceLogps) {}

  @Override
  public Object prepare(ParameterStore weights, NDManager step, List<EncodedPair> pairs) {
    CompletionBatch batch = collator.collate(pairs);
    if (!loss.needsReference()) {
      return new Prepared(batch, null);
    }
    float[] table = lookup(pairs);
    if (table != null) {
      return new Prepared(batch, step.create(table));
    }
    if (reference == null) {
      throw new IllegalStateException("loss '" + loss.name() + "' needs a reference model or precomputed log-probs");
    }
    return new Prepared(batch, reference.logps(weights, step, batch));
  }

  /** Reference log-probs of the pairs laid out as the collator lays rows (chosen…, rejected…), or null. */
  private float[] lookup(List<EncodedPair> pairs) {
    if (precomputedIndex == null) {
      return null;
    }
    int b = pairs.size();
    float[] out = new float[2 * b];
    for (int i = 0; i < b; i++) {
      Integer k = precomputedIndex.get(pairs.get(i).contentKey());
      if (k == null) {
        return null;
      }
      out[i] = precomputed.chosen()[k];
      out[b + i] = precomputed.rejected()[k];
    }
    return out;
  }

  @Override
  public MicroBatchResult forward(ParameterStore weights, NDManager step, List<EncodedPair> pairs, boolean training,
      Object prep) {
    Prepared p = (Prepared) prep;
    CompletionBatch batch = p.batch();
    int b = pairs.size();
    NDArray ids = batch.inputIdsArray(step); // (2B, T)
    NDArray logits = policy.logits(weights, ids, training); // (2B, T, V)
    NDArray tokenLogps = SequenceLogProbs.tokens(logits, ids); // (2B, T-1), the one log-softmax
    NDArray mask = batch.maskArray(step, DataType.FLOAT32); // (2B, T)
    NDArray full = SequenceLogProbs.weightedSum(tokenLogps, mask); // (2B) plain sums
    // LD-DPO: the collator's token weights (shared-length tokens 1, the longer answer's tail α)
    NDArray logps = batch.tokenWeights() == null ? full
        : SequenceLogProbs.weightedSum(tokenLogps, batch.scoreWeightsArray(step)); // (2B)
    NDArray pairWeights = loss.needsPairWeights() ? WpoWeights.of(logits, tokenLogps, mask, b) : null; // (B)
    NDArray counts = step.create(batch.completionTokens()).toType(DataType.FLOAT32, false); // (2B)
    NDArray ref = p.referenceLogps();
    PreferenceBatchLogps in = new PreferenceBatchLogps(
        logps.get("0:" + b), logps.get(b + ":"),
        ref == null ? null : ref.get("0:" + b), ref == null ? null : ref.get(b + ":"),
        counts.get("0:" + b), counts.get(b + ":"), full.get("0:" + b), pairWeights);
    PreferenceLossOutput out = loss.compute(in, training);
    NDArray lossSum = out.losses().sum();
    Map<String, Double> sums = new LinkedHashMap<>();
    Map<String, Double> means = PreferenceMetrics.of(in, out);
    means.forEach((k, v) -> sums.put(k, v * b));
    long tokens = 0;
    for (EncodedPair e : pairs) {
      tokens += 2L * e.prompt().length + e.chosen().length + e.rejected().length;
    }
    return new MicroBatchResult(lossSum, sums, tokens);
  }

  /**
   * Reference log-probs of every pair, computed once (TRL's {@code precompute_ref_log_probs})
   * by the project's {@link LogLikelihoodScorer} — so they come from its on-disk cache when the
   * same reference weights already scored the same tokens. Values are the scorer's float64 sums,
   * stored as float32 as the loss reads them.
   *
   * @param scorer a scorer over the reference weights (adapters off)
   */
  public static ReferenceLogps precompute(LogLikelihoodScorer scorer, List<EncodedPair> pairs,
      boolean progress) {
    List<String> ids = new ArrayList<>(pairs.size());
    float[] chosen = new float[pairs.size()];
    float[] rejected = new float[pairs.size()];
    List<PairScore> scores;
    try (ProgressBar bar = new me.tongfei.progressbar.ProgressBarBuilder().setTaskName("reference")
        .setInitialMax(pairs.size()).setConsumer(progress
            ? new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)
            : new me.tongfei.progressbar.ConsoleProgressBarConsumer(
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream())))
        .build()) {
      scores = scorer.scorePairs(pairs, bar::stepBy);
    }
    for (int i = 0; i < pairs.size(); i++) {
      ids.add(pairs.get(i).contentKey());
      chosen[i] = (float) scores.get(i).chosenLogp();
      rejected[i] = (float) scores.get(i).rejectedLogp();
    }
    return new ReferenceLogps(ids, chosen, rejected);
  }

  /**
   * Reference log-probs of every pair through the training collator, in batches of
   * {@code batchSize}: the path for sums the scorer does not produce (LD-DPO's α-weighted sums).
   */
  public static ReferenceLogps precompute(ReferenceModel reference, DpoCollator collator, List<EncodedPair> pairs,
      int batchSize, ai.djl.ndarray.NDManager manager, boolean progress) {
    List<String> ids = new ArrayList<>(pairs.size());
    float[] chosen = new float[pairs.size()];
    float[] rejected = new float[pairs.size()];
    try (ProgressBar bar = new me.tongfei.progressbar.ProgressBarBuilder().setTaskName("reference")
        .setInitialMax(pairs.size()).setConsumer(progress
            ? new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)
            : new me.tongfei.progressbar.ConsoleProgressBarConsumer(
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream())))
        .build()) {
      for (int i = 0; i < pairs.size(); i += batchSize) {
        List<EncodedPair> mb = pairs.subList(i, Math.min(pairs.size(), i + batchSize));
        try (ai.djl.ndarray.NDManager sm = manager.newSubManager()) {
          float[] v = reference.logps(sm, collator.collate(mb)).toFloatArray(); // (2b)
          for (int j = 0; j < mb.size(); j++) {
            ids.add(mb.get(j).contentKey());
            chosen[i + j] = v[j];
            rejected[i + j] = v[mb.size() + j];
          }
        }
        bar.stepTo(Math.min(pairs.size(), i + batchSize));
      }
    }
    return new ReferenceLogps(ids, chosen, rejected);
  }

  @Override
  public void saveFinal(Path dir) throws IOException {
    policy.saveFinal(dir, provenance);
  }
}

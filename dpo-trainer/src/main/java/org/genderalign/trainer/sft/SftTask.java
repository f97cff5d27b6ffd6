package org.genderalign.trainer.sft;

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
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.training.CompletionBatch;
import org.genderalign.trainer.training.MicroBatchResult;
import org.genderalign.trainer.training.PolicyModel;
import org.genderalign.trainer.training.SequenceLogProbs;
import org.genderalign.trainer.training.TrainingTask;

/**
 * Completion-only SFT: the summed negative log-likelihood of completion tokens; the loop
 * divides by the step's completion-token count, so the loss is the token mean over the whole
 * (accumulated) batch. Logs {@code loss} and {@code mean_token_accuracy} (TRL's SFT names).
 */
public final class SftTask implements TrainingTask<SftTokens> {

  private final PolicyModel policy;
  private final Provenance provenance;

  public SftTask(PolicyModel policy, Provenance provenance) {
    this.policy = policy;
    this.provenance = provenance;
  }

  @Override
  public String name() {
    return "sft";
  }

  @Override
  public Map<String, Parameter> trainableParameters() {
    return policy.trainableParameters();
  }

  @Override
  public String id(SftTokens e) {
    return e.id();
  }

  @Override
  public double units(SftTokens e) {
    return e.scoredTokens();
  }

  @Override
  public List<String> metricNames() {
    return List.of("loss", "mean_token_accuracy");
  }

  @Override
  public MicroBatchResult forward(ParameterStore weights, NDManager step, List<SftTokens> batch, boolean training,
      Object prepared) {
    List<int[]> prompts = new ArrayList<>(batch.size());
    List<int[]> completions = new ArrayList<>(batch.size());
    long tokens = 0;
    for (SftTokens e : batch) {
      prompts.add(e.prompt());
      completions.add(e.completion());
      tokens += e.prompt().length + e.completion().length;
    }
    CompletionBatch b = CompletionBatch.of(prompts, completions, policy.padId());
    NDArray ids = b.inputIdsArray(step); // (N, T)
    NDArray logits = policy.logits(weights, ids, training); // (N, T, V)
    NDArray mask = b.maskArray(step, DataType.FLOAT32); // (N, T)
    NDArray nllSum = SequenceLogProbs.sum(logits, ids, mask).sum().neg(); // ()
    double correct = SequenceLogProbs.correctTokens(logits, ids, mask);
    Map<String, Double> sums = new LinkedHashMap<>();
    sums.put("loss", (double) nllSum.getFloat());
    sums.put("mean_token_accuracy", correct);
    return new MicroBatchResult(nllSum, sums, tokens);
  }

  @Override
  public void saveFinal(Path dir) throws IOException {
    policy.saveFinal(dir, provenance);
  }
}

package org.genderalign.trainer.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.lora.Lora;
import org.genderalign.trainer.training.MicroBatchResult;
import org.genderalign.trainer.training.TrainingTask;

/**
 * Bradley–Terry reward modelling as a {@link TrainingTask}: one forward pass over 2B rows (chosen
 * rows, then rejected rows, right-padded — TRL's {@code DataCollatorForPreference} layout), the
 * rewards read at each row's last non-padding token, and {@link BradleyTerryLoss} per pair. The
 * unit of the mean is the pair.
 *
 * <p>Trainable: with LoRA the adapters and the {@code score} head (the head is new, so it always
 * trains — PEFT's {@code modules_to_save=["score"]}, which TRL recommends); without, every base
 * weight but the unused LM head, and the head.
 */
public final class RewardTask implements TrainingTask<RewardExample> {

  /** The head's name among the trainable parameters. */
  public static final String SCORE_PARAMETER = "score.weight";

  private final RewardModel model;
  private final Lora lora;
  private final Double centerCoefficient;
  private final Provenance provenance;

  /**
   * @param model the reward model being trained
   * @param lora its adapters, or null for full fine-tuning
   * @param centerCoefficient TRL's {@code center_rewards_coefficient}, or null
   * @param provenance written with the final model
   */
  public RewardTask(RewardModel model, Lora lora, Double centerCoefficient, Provenance provenance) {
    this.model = model;
    this.lora = lora;
    this.centerCoefficient = centerCoefficient;
    this.provenance = provenance;
  }

  @Override
  public String name() {
    return "reward";
  }

  @Override
  public Map<String, Parameter> trainableParameters() {
    Map<String, Parameter> m = new LinkedHashMap<>();
    if (lora != null) {
      m.putAll(lora.parameters());
    } else {
      m.putAll(model.block().namedParameters());
      m.remove("output.weight"); // the LM head takes no part in a reward
    }
    m.put(SCORE_PARAMETER, model.score());
    return m;
  }

  @Override
  public String id(RewardExample e) {
    return e.id();
  }

  @Override
  public double units(RewardExample e) {
    return 1;
  }

  @Override
  public List<String> metricNames() {
    return BradleyTerryLoss.METRICS;
  }

  @Override
  public MicroBatchResult forward(ParameterStore weights, NDManager step, List<RewardExample> batch, boolean training,
      Object prepared) {
    int b = batch.size();
    List<int[]> rows = new ArrayList<>(2 * b);
    float[] margins = new float[b];
    long tokens = 0;
    for (int i = 0; i < b; i++) {
      rows.add(batch.get(i).chosen());
      margins[i] = batch.get(i).margin();
      tokens += batch.get(i).tokens();
    }
    for (RewardExample e : batch) {
      rows.add(e.rejected());
    }
    NDArray r = model.rewards(weights, step, RewardBatch.of(rows, model.padTokenId()), training); // (2B)
    NDArray chosen = r.get("0:" + b); // (B)
    NDArray rejected = r.get(b + ":"); // (B)
    NDArray losses = BradleyTerryLoss.losses(chosen, rejected, step.create(margins).toDevice(r.getDevice(), false),
        centerCoefficient); // (B)
    Map<String, Double> sums = BradleyTerryLoss.metricSums(chosen.toFloatArray(), rejected.toFloatArray(),
        losses.toFloatArray());
    return new MicroBatchResult(losses.sum(), sums, tokens);
  }

  @Override
  public void saveFinal(Path dir) throws IOException {
    if (lora != null) {
      lora.merge();
    }
    model.save(dir, provenance);
  }
}

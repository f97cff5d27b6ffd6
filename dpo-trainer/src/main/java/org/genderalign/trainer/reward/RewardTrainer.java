package org.genderalign.trainer.reward;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.io.Hashing;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.data.PairEncoder;
import org.genderalign.trainer.data.PromptTemplate;
import org.genderalign.trainer.lora.Lora;
import org.genderalign.trainer.training.StepListener;
import org.genderalign.trainer.training.TrainingLoop;
import org.genderalign.trainer.training.TrainingResult;

/**
 * One reward-model run from a model and preference pairs to a Hugging Face
 * {@code LlamaForSequenceClassification} folder in {@code outDir/final}: encodes the pairs
 * (dropping, as TRL does, those longer than {@code maxLength}, listed in {@code dropped.txt} — or
 * cutting them with {@code truncate}),
 * optionally attaches LoRA (the head always trains), and runs the shared {@link TrainingLoop}
 * with {@link RewardTask} — checkpoints, bit-identical resume, metrics in {@code metrics.jsonl}.
 * The CLI's {@code train reward} and the data set builder's cross-fitted reward proxy call
 * {@link #run}.
 */
public final class RewardTrainer {

  /** Supplies the model to train (a reward model folder, or a base with a fresh head). */
  @FunctionalInterface
  public interface ModelSupplier {
    RewardModel load() throws IOException;
  }

  /** What a run did besides training. */
  public record Report(TrainingResult result, int trainPairs, int evalPairs, List<String> droppedIds,
      int truncated, int pairsWithMargin) {}

  private RewardTrainer() {}

  /** Trains on the model's device. */
  public static Report run(RewardRunConfig cfg, ModelSupplier models, List<PreferencePair> train,
      List<PreferencePair> eval, Provenance provenance, StepListener listener) throws IOException {
    return run(cfg, List.of(), models, train, eval, provenance, listener);
  }

  /**
   * Trains data parallel over {@code devices} (see {@link org.genderalign.trainer.training.DataParallel});
   * {@code models} must load onto the first. Empty: the model's device alone.
   *
   * @param cfg the run's settings
   * @param devices devices for data parallel, or empty
   * @param models loads the model
   * @param train training pairs
   * @param eval held-out pairs (may be empty): {@code eval_accuracy} and the rest at eval steps
   * @param provenance the run's provenance
   * @param listener loop hooks (tests), or null
   */
  public static Report run(RewardRunConfig cfg, List<Device> devices, ModelSupplier models,
      List<PreferencePair> train, List<PreferencePair> eval, Provenance provenance, StepListener listener)
      throws IOException {
    try (RewardModel model = models.load()) {
      int ctx = model.block().config().maxSeqLen();
      if (cfg.maxLength() > ctx) {
        throw new IllegalArgumentException("max length " + cfg.maxLength() + " exceeds the model's context of "
            + ctx + " tokens");
      }
      RewardEncoder encoder = new RewardEncoder(new PairEncoder(model.tokenizer(),
          PromptTemplate.named(cfg.promptTemplate()), cfg.maxLength()), cfg.truncate());
      RewardEncoder.Result tr = encoder.encodeAll(train);
      RewardEncoder.Result ev = encoder.encodeAll(eval);
      Files.createDirectories(cfg.outDir());
      List<String> dropped = new ArrayList<>(tr.droppedIds());
      ev.droppedIds().forEach(id -> dropped.add("eval:" + id));
      AtomicFiles.writeString(cfg.outDir().resolve("dropped.txt"),
          dropped.isEmpty() ? "" : String.join("\n", dropped) + "\n");
      if (tr.examples().isEmpty()) {
        throw new IllegalArgumentException("no training pair fits max length " + cfg.maxLength() + " ("
            + tr.droppedIds().size() + " dropped)");
      }
      model.setEncoding(new RewardModel.Encoding(cfg.promptTemplate(), cfg.maxLength()));
      Engine.getInstance().setRandomSeed((int) cfg.training().seed()); // LoRA A matrices
      Lora lora = cfg.lora() == null ? null : Lora.attach(model.block(), cfg.lora());
      RewardTask task = new RewardTask(model, lora, cfg.centerRewardsCoefficient(), provenance);
      TrainingLoop<RewardExample> loop = new TrainingLoop<>(task, cfg.training(), model.manager(), cfg.outDir(),
          provenance).devices(devices);
      if (listener != null) {
        loop.listener(listener);
      }
      TrainingResult result = loop.run(tr.examples(), ev.examples(), hash(tr.examples()), cfg.resume());
      return new Report(result, tr.examples().size(), ev.examples().size(), dropped,
          tr.truncated() + ev.truncated(), tr.withMargin());
    }
  }

  /** Identity of the training examples (checked on resume). */
  static String hash(List<RewardExample> examples) {
    var md = Hashing.newDigest();
    for (RewardExample e : examples) {
      md.update(e.id().getBytes(StandardCharsets.UTF_8));
      md.update(Arrays.toString(e.chosen()).getBytes(StandardCharsets.UTF_8));
      md.update(Arrays.toString(e.rejected()).getBytes(StandardCharsets.UTF_8));
      md.update(Float.toString(e.margin()).getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(md.digest());
  }
}

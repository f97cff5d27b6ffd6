package org.genderalign.trainer.kto;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.genderalign.core.data.UnpairedExample;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.data.PairEncoder;
import org.genderalign.trainer.data.PromptTemplate;
import org.genderalign.trainer.dpo.DpoTrainer;
import org.genderalign.trainer.dpo.ReferenceModel;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.lora.Lora;
import org.genderalign.trainer.training.PolicyModel;
import org.genderalign.trainer.training.StepListener;
import org.genderalign.trainer.training.TrainingLoop;
import org.genderalign.trainer.training.TrainingResult;

/**
 * One KTO run from loaded model(s) and unpaired examples to a trained model in
 * {@code outDir/final}: encodes and truncates the examples (dropped ones written to
 * {@code dropped.txt}), attaches LoRA (reference = adapters off) or loads a frozen reference copy,
 * and runs the shared {@link TrainingLoop} — same checkpoints, resume and metrics file as DPO.
 * The CLI's {@code train kto} is a thin layer over {@link #run}.
 */
public final class KtoTrainer {

  /**
   * What a run did besides training.
   *
   * @param desirable training examples labelled desirable
   * @param undesirable training examples labelled undesirable
   * @param weightAdvice TRL's advice on desirable/undesirable weights for unbalanced data, or null
   */
  public record Report(TrainingResult result, int trainExamples, int evalExamples, int desirable, int undesirable,
      List<String> droppedIds, int truncated, String referenceMode, String weightAdvice) {}

  private KtoTrainer() {}

  /**
   * Trains, data parallel over {@code devices} when more than one (empty: the model's device).
   *
   * @param models loads the model (policy; and the reference copy when training without LoRA)
   * @param listener loop hooks (tests), or null
   */
  public static Report run(KtoRunConfig cfg, List<Device> devices, DpoTrainer.ModelSupplier models,
      List<UnpairedExample> train, List<UnpairedExample> eval, Provenance provenance, StepListener listener)
      throws IOException {
    KtoLoss loss = new KtoLoss(cfg.loss());
    try (LoadedModel model = models.load()) {
      KtoEncoder encoder = new KtoEncoder(new PairEncoder(model.tokenizer(),
          PromptTemplate.named(cfg.promptTemplate()), cfg.maxLength()));
      KtoEncoder.Result tr = encoder.encodeAll(train);
      KtoEncoder.Result ev = encoder.encodeAll(eval);
      Files.createDirectories(cfg.outDir());
      List<String> dropped = new ArrayList<>(tr.droppedIds());
      ev.droppedIds().forEach(id -> dropped.add("eval:" + id));
      AtomicFiles.writeString(cfg.outDir().resolve("dropped.txt"), dropped.isEmpty() ? "" : String.join("\n", dropped) + "\n");
      if (tr.examples().isEmpty()) {
        throw new IllegalArgumentException("no training example fits max length " + cfg.maxLength() + " ("
            + tr.droppedIds().size() + " dropped because the prompt alone fills it)");
      }
      int desirable = (int) tr.examples().stream().filter(KtoExample::label).count();
      int undesirable = tr.examples().size() - desirable;

      Engine.getInstance().setRandomSeed((int) cfg.training().seed()); // LoRA A matrices
      Lora lora = cfg.lora() == null ? null : Lora.attach(model.block(), cfg.lora());
      PolicyModel policy = new PolicyModel(model.block(), model.tokenizer(), lora, model.source().location());
      try (LoadedModel refCopy = lora == null ? models.load() : null) {
        ReferenceModel reference = lora != null ? ReferenceModel.adaptersOff(policy)
            : ReferenceModel.frozenCopy(refCopy.block());
        KtoTask task = new KtoTask(policy, reference, loss, new KtoCollator(policy.padId(), cfg.maxLength()),
            provenance);
        TrainingLoop<KtoExample> loop = new TrainingLoop<>(task, cfg.training(), model.manager(), cfg.outDir(),
            provenance).devices(devices);
        if (listener != null) {
          loop.listener(listener);
        }
        TrainingResult result = loop.run(tr.examples(), ev.examples(), KtoExample.hash(tr.examples()), cfg.resume());
        return new Report(result, tr.examples().size(), ev.examples().size(), desirable, undesirable, dropped,
            tr.truncatedCount() + ev.truncatedCount(),
            lora != null ? "adapters off (one copy of the weights)" : "frozen copy",
            cfg.loss().weightAdvice(desirable, undesirable).orElse(null));
      }
    }
  }
}

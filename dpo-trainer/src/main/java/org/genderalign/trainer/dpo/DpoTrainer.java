package org.genderalign.trainer.dpo;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.io.Hashing;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.data.EncodedPair;
import org.genderalign.trainer.data.PairEncoder;
import org.genderalign.trainer.data.PromptTemplate;
import org.genderalign.trainer.dpo.loss.PreferenceLoss;
import org.genderalign.trainer.dpo.loss.PreferenceLosses;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.lora.Lora;
import org.genderalign.trainer.training.PolicyModel;
import org.genderalign.trainer.training.StepListener;
import org.genderalign.trainer.training.TrainingLoop;
import org.genderalign.trainer.training.TrainingResult;

/**
 * One DPO run from loaded model(s) and pairs to a trained model in {@code outDir/final}: encodes
 * and truncates pairs (dropped ones written to {@code dropped.txt}), attaches LoRA or prepares a
 * frozen reference copy, precomputes (and caches) reference log-probs if asked, and runs the
 * {@link TrainingLoop}. The CLI's {@code train dpo} is a thin layer over {@link #run}.
 */
public final class DpoTrainer {

  /** Supplies a fresh copy of the model (called once, or twice for a frozen reference copy). */
  @FunctionalInterface
  public interface ModelSupplier {
    LoadedModel load() throws IOException;
  }

  /** What a run did besides training. */
  public record Report(TrainingResult result, int trainPairs, int evalPairs, List<String> droppedIds,
      int truncated, String referenceMode) {}

  private DpoTrainer() {}

  /**
   * Trains.
   *
   * @param cfg the run's settings
   * @param models loads the model (policy; and the reference copy when training without LoRA)
   * @param train training pairs
   * @param eval held-out pairs (may be empty)
   * @param provenance the run's provenance (the CLI adds inputs and config)
   * @param listener loop hooks (tests), or null
   */
  public static Report run(DpoRunConfig cfg, ModelSupplier models, List<PreferencePair> train,
      List<PreferencePair> eval, Provenance provenance, StepListener listener) throws IOException {
    return run(cfg, List.of(), models, train, eval, provenance, listener);
  }

  /**
   * Trains data parallel over {@code devices} (see {@link org.genderalign.trainer.training.DataParallel});
   * {@code models} must load onto the first. Empty: the loaded model's device alone.
   */
  public static Report run(DpoRunConfig cfg, List<ai.djl.Device> devices, ModelSupplier models,
      List<PreferencePair> train, List<PreferencePair> eval, Provenance provenance, StepListener listener)
      throws IOException {
    PreferenceLoss loss = PreferenceLosses.create(cfg.loss());
    try (LoadedModel model = models.load()) {
      PairEncoder encoder = new PairEncoder(model.tokenizer(), PromptTemplate.named(cfg.promptTemplate()),
          cfg.maxLength());
      PairEncoder.Result tr = encoder.encodeAll(train);
      PairEncoder.Result ev = encoder.encodeAll(eval);
      java.nio.file.Files.createDirectories(cfg.outDir());
      List<String> dropped = new java.util.ArrayList<>(tr.droppedIds());
      ev.droppedIds().forEach(id -> dropped.add("eval:" + id));
      org.genderalign.core.io.AtomicFiles.writeString(cfg.outDir().resolve("dropped.txt"),
          dropped.isEmpty() ? "" : String.join("\n", dropped) + "\n");
      if (tr.pairs().isEmpty()) {
        throw new IllegalArgumentException("no training pair fits max length " + cfg.maxLength()
            + " (" + tr.droppedIds().size() + " dropped because the prompt alone fills it)");
      }

      Engine.getInstance().setRandomSeed((int) cfg.training().seed()); // LoRA A matrices
      Lora lora = cfg.lora() == null ? null : Lora.attach(model.block(), cfg.lora());
      PolicyModel policy = new PolicyModel(model.block(), model.tokenizer(), lora);
      DpoCollator collator = new DpoCollator(policy.padId(), cfg.maxLength(), cfg.loss().ldAlpha());

      LoadedModel refCopy = null;
      try {
        ReferenceModel reference = null;
        String mode = "none (reference-free loss)";
        if (loss.needsReference()) {
          if (lora != null) {
            reference = ReferenceModel.adaptersOff(policy);
            mode = "adapters off (one copy of the weights)";
          } else {
            refCopy = models.load();
            reference = ReferenceModel.frozenCopy(refCopy.block());
            mode = "frozen copy";
          }
        }
        DpoTask task = new DpoTask(policy, reference, loss, collator, provenance);
        if (loss.needsReference() && cfg.precomputeReference()) {
          ReferenceLogps values = precomputeOrLoad(cfg, model, reference, collator, tr.pairs(), ev.pairs(),
              provenance);
          task.usePrecomputed(values);
          mode += ", precomputed for " + values.ids().size() + " pairs";
          if (refCopy != null) { // the copy is no longer needed: free its weights
            refCopy.close();
            refCopy = null;
          }
        }
        TrainingLoop<EncodedPair> loop = new TrainingLoop<>(task, cfg.training(), model.manager(), cfg.outDir(),
            provenance).devices(devices);
        if (listener != null) {
          loop.listener(listener);
        }
        TrainingResult result = loop.run(tr.pairs(), ev.pairs(), ReferenceLogpCache.hashPairs(tr.pairs()),
            cfg.resume());
        return new Report(result, tr.pairs().size(), ev.pairs().size(), dropped,
            tr.truncatedCount() + ev.truncatedCount(), mode);
      } finally {
        if (refCopy != null) {
          refCopy.close();
        }
      }
    }
  }

  private static ReferenceLogps precomputeOrLoad(DpoRunConfig cfg, LoadedModel model, ReferenceModel reference,
      DpoCollator collator, List<EncodedPair> train, List<EncodedPair> eval, Provenance provenance)
      throws IOException {
    // only the training pairs this run will reach (a short --steps run on a big set visits few)
    // each distinct pair once (a pair listed twice, or in both sets, needs one value)
    Map<String, EncodedPair> distinct = new java.util.LinkedHashMap<>();
    for (int i : TrainingLoop.visitedIndices(cfg.training(), train.size())) {
      distinct.putIfAbsent(train.get(i).contentKey(), train.get(i));
    }
    eval.forEach(e -> distinct.putIfAbsent(e.contentKey(), e));
    List<EncodedPair> all = new java.util.ArrayList<>(distinct.values());
    ReferenceLogpCache.Key key = new ReferenceLogpCache.Key(modelHash(model), ReferenceLogpCache.hashPairs(all),
        model.tokenizer().describe() + " template=" + cfg.promptTemplate() + " maxLength=" + cfg.maxLength()
            + " dtype=" + model.dataType() + " keys=id#tokens"
            // LD-DPO's reference values are α-weighted sums: a different table
            + (cfg.loss().ldAlpha() == null ? "" : " ldAlpha=" + cfg.loss().ldAlpha()));
    ReferenceLogpCache cache = cfg.referenceCacheDir() == null ? null : new ReferenceLogpCache(cfg.referenceCacheDir());
    if (cache != null) {
      var hit = cache.load(key);
      if (hit.isPresent()) {
        return hit.get();
      }
    }
    ReferenceLogps values = DpoTask.precompute(reference, collator, all, cfg.training().batchSize(),
        model.manager(), cfg.training().progressBar());
    if (cache != null) {
      cache.store(key, values, provenance);
    }
    return values;
  }

  /** Identity of a model's weights: its format, location and the sha256 of every file read. */
  public static String modelHash(LoadedModel model) {
    Map<String, String> files = new TreeMap<>(model.source().files());
    return Hashing.sha256(model.source().format() + "|" + (files.isEmpty() ? model.source().location() : "")
        + "|" + files);
  }
}

package org.genderalign.trainer.dpo;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.util.List;
import java.util.Map;
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
import org.genderalign.trainer.score.LogLikelihoodScorer;
import org.genderalign.trainer.score.ScorerConfig;
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
      PolicyModel policy = new PolicyModel(model.block(), model.tokenizer(), lora, model.source().location());
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
          ReferenceLogps values = cfg.loss().ldAlpha() != null
              // LD-DPO's reference values are α-weighted sums the scorer does not produce: computed
              // through the training collator (same weights as the live path), not cached
              ? DpoTask.precompute(reference, collator, distinctPairs(cfg, tr.pairs(), ev.pairs()),
                  cfg.training().batchSize(), model.manager(), cfg.training().progressBar())
              : precompute(cfg, refCopy != null ? refCopy : model, lora, tr.pairs(), ev.pairs());
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
        TrainingResult result = loop.run(tr.pairs(), ev.pairs(), hashPairs(tr.pairs()),
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

  /**
   * Reference log-probs of the pairs the run will visit, through the project's scorer and its
   * on-disk cache ({@code cfg.referenceCacheDir()}, null = none): a second run over the same
   * reference weights and tokens computes nothing.
   *
   * @param reference the frozen copy, or the policy's model whose LoRA adapters are switched off
   *     meanwhile (the base weights exactly)
   */
  private static ReferenceLogps precompute(DpoRunConfig cfg, LoadedModel reference, Lora lora,
      List<EncodedPair> train, List<EncodedPair> eval) {
    List<EncodedPair> all = distinctPairs(cfg, train, eval);
    if (lora != null) {
      lora.setEnabled(false);
    }
    try {
      ScorerConfig sc = new ScorerConfig(cfg.training().batchSize(), cfg.referenceCacheDir());
      return DpoTask.precompute(new LogLikelihoodScorer(reference, sc), all, cfg.training().progressBar());
    } finally {
      if (lora != null) {
        lora.setEnabled(true);
      }
    }
  }

  /**
   * The pairs whose reference values a run needs: only the training pairs it will reach (a short
   * --steps run on a big set visits few), and each distinct pair once (a pair listed twice, or in
   * both sets, needs one value).
   */
  private static List<EncodedPair> distinctPairs(DpoRunConfig cfg, List<EncodedPair> train,
      List<EncodedPair> eval) {
    Map<String, EncodedPair> distinct = new java.util.LinkedHashMap<>();
    for (int i : TrainingLoop.visitedIndices(cfg.training(), train.size())) {
      distinct.putIfAbsent(train.get(i).contentKey(), train.get(i));
    }
    eval.forEach(e -> distinct.putIfAbsent(e.contentKey(), e));
    return new java.util.ArrayList<>(distinct.values());
  }

  /** sha256 over ids and token ids of the pairs, in order: the data identity of a training run. */
  public static String hashPairs(List<EncodedPair> pairs) {
    var md = Hashing.newDigest();
    for (EncodedPair p : pairs) {
      md.update(p.id().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      for (int[] part : new int[][] {p.prompt(), p.chosen(), p.rejected()}) {
        md.update((byte) 0);
        for (int t : part) {
          md.update(new byte[] {(byte) (t >>> 24), (byte) (t >>> 16), (byte) (t >>> 8), (byte) t});
        }
      }
      md.update((byte) '\n');
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }
}

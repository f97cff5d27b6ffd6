package org.genderalign.maven;

import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.data.SftExample;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.data.PromptTemplate;
import org.genderalign.trainer.data.TrainingData;
import org.genderalign.trainer.dpo.DpoRunConfig;
import org.genderalign.trainer.dpo.DpoTrainer;
import org.genderalign.trainer.dpo.loss.PreferenceLossConfig;
import org.genderalign.trainer.dpo.loss.PreferenceLosses;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.lora.LoraConfig;
import org.genderalign.trainer.optim.AdamWConfig;
import org.genderalign.trainer.score.ScoreCache;
import org.genderalign.trainer.sft.SftTrainer;
import org.genderalign.trainer.training.DeviceSpec;
import org.genderalign.trainer.training.TrainingConfig;
import org.genderalign.trainer.training.TrainingResult;

/**
 * {@code genderalign:train} — trains a model, like {@code genderalign train sft} ({@code method}
 * {@code sft}: completion-only supervised fine-tuning, the paper's Alpaca "Base") or
 * {@code genderalign train dpo} ({@code method} {@code dpo}: DPO or a variant on preference
 * pairs). The parameters fill {@link TrainingConfig}, {@link LoraConfig} and
 * {@link SftTrainer.Config} / {@link DpoRunConfig} ({@link PreferenceLossConfig}); the data is
 * read and split by {@link TrainingData}; {@link SftTrainer#run} / {@link DpoTrainer#run} train.
 * Writes {@code out/metrics.jsonl}, {@code out/checkpoints/} and {@code out/final} (a model the
 * next goal can name). Every metrics record also goes to the Maven log.
 */
@Mojo(name = "train", defaultPhase = LifecyclePhase.COMPILE, requiresProject = false, threadSafe = true)
public final class TrainMojo extends AbstractGenderAlignMojo {

  // ---- what to train, on what ----

  /** {@code sft} or {@code dpo}. */
  @Parameter(property = "genderalign.train.method", required = true)
  String method;

  /**
   * Model: stories260K, a checkpoint folder (e.g. a previous run's {@code out/final}), a Hugging
   * Face folder, a .gguf or a llama2.c .bin.
   */
  @Parameter(property = "genderalign.train.model", required = true)
  String model;

  /** cpu, gpu0[,gpu1…] or all. */
  @Parameter(property = "genderalign.train.devices", defaultValue = "cpu")
  String devices;

  /** auto, fp32 or bf16 (auto = bf16 weights on GPU with LoRA, else fp32). */
  @Parameter(property = "genderalign.train.precision", defaultValue = "auto")
  String precision;

  /** Training data file: Alpaca records (sft) or preference pairs (dpo). */
  @Parameter(property = "genderalign.train.data", required = true)
  File data;

  /**
   * Format of {@code data} (and {@code evalData}): sft: alpaca or trl-chosen (default alpaca);
   * dpo: trl, hh, genderalign or csv (default trl).
   */
  @Parameter(property = "genderalign.train.dataFormat")
  String dataFormat;

  /** Held-out data for evaluation (default: none, or {@code evalFraction} of {@code data}). */
  @Parameter(property = "genderalign.train.evalData")
  File evalData;

  /** Hold out this fraction of {@code data} (seeded split) when {@code evalData} is not given. */
  @Parameter(property = "genderalign.train.evalFraction", defaultValue = "0")
  double evalFraction;

  /** Output folder. */
  @Parameter(property = "genderalign.train.out", defaultValue = "${project.build.directory}/genderalign/train",
      required = true)
  File out;

  /** Max tokens per example (sft) or prompt + completion (dpo). */
  @Parameter(property = "genderalign.train.maxLength", defaultValue = "" + DpoRunConfig.DEFAULT_MAX_LENGTH)
  int maxLength;

  // ---- LoRA ----

  /** Train LoRA adapters of this rank (base frozen); 0 = full fine-tuning. */
  @Parameter(property = "genderalign.train.loraRank", defaultValue = "0")
  int loraRank;

  /** LoRA alpha: the adapter update is scaled by alpha / rank. */
  @Parameter(property = "genderalign.train.loraAlpha", defaultValue = "" + LoraConfig.DEFAULT_ALPHA)
  double loraAlpha;

  /** LoRA dropout. */
  @Parameter(property = "genderalign.train.loraDropout", defaultValue = "" + LoraConfig.DEFAULT_DROPOUT)
  double loraDropout;

  /** Projections to adapt (default wq,wk,wv,wo,w1,w2,w3; HF names accepted). */
  @Parameter(property = "genderalign.train.loraTargets")
  List<String> loraTargets;

  // ---- the loop (Hugging Face TrainingArguments names) ----

  /** Optimizer steps; 0 = run {@code epochs} passes instead. */
  @Parameter(property = "genderalign.train.steps", defaultValue = "0")
  long steps;

  /** Passes over the data when {@code steps} is 0. */
  @Parameter(property = "genderalign.train.epochs", defaultValue = "" + TrainingConfig.DEFAULT_EPOCHS)
  double epochs;

  /** Examples per forward pass. */
  @Parameter(property = "genderalign.train.batchSize", defaultValue = "" + TrainingConfig.DEFAULT_BATCH_SIZE)
  int batchSize;

  /** Micro-batches per optimizer step. */
  @Parameter(property = "genderalign.train.gradAccum",
      defaultValue = "" + TrainingConfig.DEFAULT_GRADIENT_ACCUMULATION_STEPS)
  int gradAccum;

  /** Peak learning rate (default: sft 2e-5, dpo 1e-6). */
  @Parameter(property = "genderalign.train.learningRate")
  Double learningRate;

  /** AdamW decoupled weight decay. */
  @Parameter(property = "genderalign.train.weightDecay", defaultValue = "" + AdamWConfig.DEFAULT_WEIGHT_DECAY)
  double weightDecay;

  /** AdamW beta1. */
  @Parameter(property = "genderalign.train.adamBeta1", defaultValue = "" + AdamWConfig.DEFAULT_BETA1)
  double adamBeta1;

  /** AdamW beta2. */
  @Parameter(property = "genderalign.train.adamBeta2", defaultValue = "" + AdamWConfig.DEFAULT_BETA2)
  double adamBeta2;

  /** AdamW epsilon. */
  @Parameter(property = "genderalign.train.adamEpsilon", defaultValue = "" + AdamWConfig.DEFAULT_EPSILON)
  double adamEpsilon;

  /** Linear warmup steps. */
  @Parameter(property = "genderalign.train.warmupSteps", defaultValue = "0")
  long warmupSteps;

  /** constant, linear or cosine. */
  @Parameter(property = "genderalign.train.lrScheduler", defaultValue = TrainingConfig.DEFAULT_LR_SCHEDULER)
  String lrScheduler;

  /** Clip gradients to this global norm; 0 = no clipping. */
  @Parameter(property = "genderalign.train.maxGradNorm", defaultValue = "" + TrainingConfig.DEFAULT_MAX_GRAD_NORM)
  double maxGradNorm;

  /** Seed for data order, LoRA init, dropout and the held-out split. */
  @Parameter(property = "genderalign.train.seed", defaultValue = "" + TrainingConfig.DEFAULT_SEED)
  long seed;

  /** Write a metrics line (and a log line) every N steps. */
  @Parameter(property = "genderalign.train.loggingSteps", defaultValue = "" + TrainingConfig.DEFAULT_LOGGING_STEPS)
  long loggingSteps;

  /** Evaluate every N steps; 0 = at the end only. */
  @Parameter(property = "genderalign.train.evalSteps", defaultValue = "0")
  long evalSteps;

  /** Checkpoint every N steps; 0 = none. */
  @Parameter(property = "genderalign.train.saveSteps", defaultValue = "" + TrainingConfig.DEFAULT_SAVE_STEPS)
  long saveSteps;

  /** Checkpoints kept. */
  @Parameter(property = "genderalign.train.saveTotalLimit",
      defaultValue = "" + TrainingConfig.DEFAULT_SAVE_TOTAL_LIMIT)
  int saveTotalLimit;

  /** A console progress bar besides the log lines (off: it garbles a build log). */
  @Parameter(property = "genderalign.train.progressBar", defaultValue = "false")
  boolean progressBar;

  /** Continue from the newest checkpoint in {@code out} (bit-identical to an uninterrupted run). */
  @Parameter(property = "genderalign.train.resume", defaultValue = "false")
  boolean resume;

  // ---- dpo only ----

  /**
   * dpo: one or more of TRL's loss_type names (sigmoid, hinge, ipo, …, sft), cdpo, simpo,
   * orpo; several are summed with {@code lossWeights}.
   */
  @Parameter(property = "genderalign.train.loss", defaultValue = PreferenceLossConfig.DEFAULT_NAME)
  List<String> loss;

  /** dpo: one weight per loss (default all 1). */
  @Parameter(property = "genderalign.train.lossWeights")
  List<Double> lossWeights;

  /** dpo: beta. */
  @Parameter(property = "genderalign.train.beta", defaultValue = "" + PreferenceLossConfig.DEFAULT_BETA)
  double beta;

  /** dpo: label-noise rate in [0, 0.5) of cdpo, robust, exo_pair, aot, aot_unpaired. */
  @Parameter(property = "genderalign.train.labelSmoothing",
      defaultValue = "" + PreferenceLossConfig.DEFAULT_LABEL_SMOOTHING)
  double labelSmoothing;

  /** dpo: WPO, weight each pair by its policy probabilities. */
  @Parameter(property = "genderalign.train.useWeighting", defaultValue = "false")
  boolean useWeighting;

  /** dpo: LD-DPO weight in [0, 1] of the longer answer's tokens beyond the shorter one's length. */
  @Parameter(property = "genderalign.train.ldAlpha")
  Double ldAlpha;

  /** dpo: DiscoPOP's tau. */
  @Parameter(property = "genderalign.train.discopopTau", defaultValue = "" + PreferenceLossConfig.DEFAULT_DISCOPOP_TAU)
  double discopopTau;

  /** dpo: bco_pair with TRL ≤ 0.28's running reward baseline. */
  @Parameter(property = "genderalign.train.bcoRunningBaseline", defaultValue = "false")
  boolean bcoRunningBaseline;

  /** dpo: IPO on summed log-ratios (default: length-normalised, as TRL). */
  @Parameter(property = "genderalign.train.ipoUnnormalized", defaultValue = "false")
  boolean ipoUnnormalized;

  /** dpo: SimPO target margin. */
  @Parameter(property = "genderalign.train.simpoGamma", defaultValue = "" + PreferenceLossConfig.DEFAULT_SIMPO_GAMMA)
  double simpoGamma;

  /** dpo: ORPO odds-ratio weight. */
  @Parameter(property = "genderalign.train.orpoLambda", defaultValue = "" + PreferenceLossConfig.DEFAULT_ORPO_LAMBDA)
  double orpoLambda;

  /** dpo: prompt template, raw or hh. */
  @Parameter(property = "genderalign.train.promptTemplate", defaultValue = PromptTemplate.RAW)
  String promptTemplate;

  /** dpo: compute reference log-probs once before training and cache them. */
  @Parameter(property = "genderalign.train.precomputeRef", defaultValue = "false")
  boolean precomputeRef;

  /** dpo: score cache folder of the reference precompute (default ~/.cache/genderalign/scores). */
  @Parameter(property = "genderalign.train.refCache")
  File refCache;

  @Override
  void run() throws Exception {
    DataRoot root = root();
    String m = method == null ? "" : method.trim().toLowerCase(Locale.ROOT);
    switch (m) {
      case "sft" -> sft(root);
      case "dpo" -> dpo(root);
      default -> throw new MojoFailureException("bad method '" + method + "'; expected sft or dpo");
    }
  }

  /** The loop settings; {@code defaultLr} when {@code learningRate} is not set. */
  TrainingConfig training(double defaultLr) {
    AdamWConfig adam = new AdamWConfig(learningRate != null ? learningRate : defaultLr, adamBeta1, adamBeta2,
        adamEpsilon, weightDecay);
    return new TrainingConfig(steps, epochs, batchSize, gradAccum, adam, lrScheduler, warmupSteps, maxGradNorm,
        seed, loggingSteps, evalSteps, saveSteps, saveTotalLimit, progressBar);
  }

  /** The LoRA settings, or null (full fine-tuning) when {@code loraRank} is 0. */
  LoraConfig lora() {
    return loraRank == 0 ? null : new LoraConfig(loraRank, loraAlpha, loraDropout,
        loraTargets == null || loraTargets.isEmpty() ? LoraConfig.DEFAULT_TARGETS : loraTargets);
  }

  /** The model's devices: {@code devices}, validated against what the engine sees. */
  private List<ai.djl.Device> deviceList() {
    return DeviceSpec.parse(devices);
  }

  private DpoTrainer.ModelSupplier models(DataRoot root, boolean lora) {
    return () -> {
      ai.djl.Device first = deviceList().get(0);
      return ModelLoader.load(model, root, first, DeviceSpec.dataType(precision, first, lora));
    };
  }

  /** The face's settings beside the run config, for the provenance. */
  private Map<String, Object> options(String format) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("model", model);
    o.put("devices", devices);
    o.put("precision", precision);
    o.put("dataFormat", format);
    o.put("evalFraction", evalFraction);
    o.put("face", "maven");
    return o;
  }

  SftTrainer.Config sftConfig() {
    String format = dataFormat != null ? dataFormat : SftTrainer.DEFAULT_FORMAT;
    return new SftTrainer.Config(training(SftTrainer.DEFAULT_LEARNING_RATE), lora(), maxLength, format,
        out.toPath(), resume);
  }

  DpoRunConfig dpoConfig() {
    PreferenceLossConfig lc = new PreferenceLossConfig(loss, lossWeights == null || lossWeights.isEmpty() ? null
        : lossWeights, beta, labelSmoothing, !ipoUnnormalized, simpoGamma, orpoLambda, discopopTau, useWeighting,
        ldAlpha, bcoRunningBaseline);
    PreferenceLosses.create(lc); // validates the names and the combination now, before any loading
    Path cache = precomputeRef ? (refCache != null ? refCache.toPath() : ScoreCache.defaultDir()) : null;
    return new DpoRunConfig(lc, training(AdamWConfig.DEFAULT_LEARNING_RATE), lora(), maxLength, promptTemplate,
        precomputeRef, cache, out.toPath(), resume);
  }

  private void sft(DataRoot root) throws Exception {
    SftTrainer.Config cfg = sftConfig();
    Path evalPath = evalData == null ? null : evalData.toPath();
    List<List<SftExample>> sets = TrainingData.trainAndEval(data.toPath(), evalPath, evalFraction, seed,
        f -> TrainingData.sft(f, cfg.format()));
    Provenance prov = TrainingData.provenance("maven train sft", cfg, seed, options(cfg.format()), data.toPath(),
        evalPath);
    getLog().info(String.format(Locale.ROOT, "sft %s on %d examples (%d held out) into %s", model,
        sets.get(0).size(), sets.get(1).size(), out));
    SftTrainer.Report r = SftTrainer.run(cfg, deviceList(), models(root, cfg.lora() != null), sets.get(0),
        sets.get(1), prov, MavenLog.steps(getLog()));
    TrainingResult res = r.result();
    getLog().info(String.format(Locale.ROOT, "trained %d steps on %d examples (%d held out; %d dropped)",
        res.steps(), r.trainExamples(), r.evalExamples(), r.droppedIds().size()));
    if (!r.dropCounts().isEmpty()) {
      getLog().warn("dropped training examples " + r.dropCounts() + " (ids and reasons in "
          + out.toPath().resolve("dropped.txt") + ")");
    }
    finished(res);
  }

  private void dpo(DataRoot root) throws Exception {
    DpoRunConfig cfg = dpoConfig();
    String format = dataFormat != null ? dataFormat : "trl";
    Path evalPath = evalData == null ? null : evalData.toPath();
    List<List<PreferencePair>> sets = TrainingData.trainAndEval(data.toPath(), evalPath, evalFraction, seed,
        f -> TrainingData.pairs(f, format));
    Provenance prov = TrainingData.provenance("maven train dpo", cfg, seed, options(format), data.toPath(),
        evalPath);
    getLog().info(String.format(Locale.ROOT, "dpo (%s, beta %s) %s on %d pairs (%d held out) into %s",
        String.join("+", cfg.loss().lossTypes()), cfg.loss().beta(), model, sets.get(0).size(), sets.get(1).size(),
        out));
    DpoTrainer.Report r = DpoTrainer.run(cfg, deviceList(), models(root, cfg.lora() != null), sets.get(0),
        sets.get(1), prov, MavenLog.steps(getLog()));
    TrainingResult res = r.result();
    getLog().info(String.format(Locale.ROOT,
        "trained %d steps on %d pairs (%d held out; %d dropped, %d truncated); reference: %s", res.steps(),
        r.trainPairs(), r.evalPairs(), r.droppedIds().size(), r.truncated(), r.referenceMode()));
    if (!r.droppedIds().isEmpty()) {
      getLog().warn(String.format(Locale.ROOT, "dropped %d pairs whose prompt alone fills maxLength %d (ids in %s)",
          r.droppedIds().size(), cfg.maxLength(), out.toPath().resolve("dropped.txt")));
    }
    finished(res);
  }

  private void finished(TrainingResult res) {
    if (res.resumedFrom() > 0) {
      getLog().info("resumed from step " + res.resumedFrom());
    }
    getLog().info(String.format(Locale.ROOT, "tokens %d in %.1f s; final model: %s", res.tokens(),
        res.elapsedSeconds(), res.finalModel()));
  }
}

package org.genderalign.cli.train;

import org.genderalign.trainer.optim.AdamWConfig;
import org.genderalign.trainer.training.TrainingConfig;
import picocli.CommandLine.Option;

/**
 * Loop options shared by {@code train sft} and {@code train dpo}, with Hugging Face
 * TrainingArguments names. Fields are boxed and null when not given, so that a preset can fill
 * what the user left out and explicit options always win.
 */
public final class TrainingOptions {

  @org.genderalign.cli.Check.Min(1)
  @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps, at least 1 (instead of --epochs).")
  Long steps;

  @Option(names = "--epochs", paramLabel = "E", description = "Passes over the data (default 1 when --steps is not given).")
  Double epochs;

  @Option(names = "--batch-size", paramLabel = "B", description = "Examples per forward pass (default 8).")
  Integer batchSize;

  @Option(names = {"--grad-accum", "--gradient-accumulation-steps"}, paramLabel = "G",
      description = "Micro-batches per optimizer step (default 1).")
  Integer gradAccum;

  @Option(names = {"--lr", "--learning-rate"}, paramLabel = "LR", description = "Peak learning rate.")
  Double lr;

  @Option(names = "--weight-decay", paramLabel = "WD", description = "AdamW decoupled weight decay (default 0).")
  Double weightDecay;

  @Option(names = "--adam-beta1", paramLabel = "B1", description = "AdamW beta1 (default 0.9).")
  Double beta1;

  @Option(names = "--adam-beta2", paramLabel = "B2", description = "AdamW beta2 (default 0.999).")
  Double beta2;

  @Option(names = "--adam-epsilon", paramLabel = "EPS", description = "AdamW epsilon (default 1e-8).")
  Double epsilon;

  @Option(names = "--warmup-steps", paramLabel = "N", description = "Linear warmup steps (default 0).")
  Long warmupSteps;

  @Option(names = "--lr-scheduler", paramLabel = "NAME", description = "constant, linear or cosine (default linear).")
  String lrScheduler;

  @Option(names = "--max-grad-norm", paramLabel = "X", description = "Clip gradients to this global norm; 0 = no clipping (default 1).")
  Double maxGradNorm;

  @Option(names = "--seed", paramLabel = "S", description = "Seed for data order, LoRA init and dropout (default 42).")
  Long seed;

  @Option(names = "--logging-steps", paramLabel = "N", description = "Write a metrics line every N steps (default 10).")
  Long loggingSteps;

  @Option(names = "--eval-steps", paramLabel = "N", description = "Evaluate every N steps; 0 = at the end only (default 0).")
  Long evalSteps;

  @Option(names = "--save-steps", paramLabel = "N", description = "Checkpoint every N steps; 0 = none (default 500).")
  Long saveSteps;

  @Option(names = "--save-total-limit", paramLabel = "K", description = "Checkpoints kept (default 2).")
  Integer saveTotalLimit;

  @Option(names = "--no-progress", description = "No progress bar.")
  boolean noProgress;

  @Option(names = "--resume", description = "Continue from the newest checkpoint in --out (bit-identical to an uninterrupted run).")
  boolean resume;

  /**
   * Phrases of the training configs' validation messages ({@code TrainingConfig},
   * {@code AdamWConfig}, {@code LrSchedule}) → the options that set them, for
   * {@link org.genderalign.cli.OptionNames#badUsage}.
   */
  static final java.util.Map<String, String> OPTIONS = java.util.Map.ofEntries(
      java.util.Map.entry("steps", "--steps"), java.util.Map.entry("epochs", "--epochs"),
      java.util.Map.entry("batch size", "--batch-size"),
      java.util.Map.entry("gradient accumulation steps", "--grad-accum"),
      java.util.Map.entry("learning rate", "--lr"), java.util.Map.entry("weight decay", "--weight-decay"),
      java.util.Map.entry("beta1", "--adam-beta1"), java.util.Map.entry("beta2", "--adam-beta2"),
      java.util.Map.entry("epsilon", "--adam-epsilon"), java.util.Map.entry("warmup steps", "--warmup-steps"),
      java.util.Map.entry("lr scheduler", "--lr-scheduler"), java.util.Map.entry("max grad norm", "--max-grad-norm"),
      java.util.Map.entry("logging steps", "--logging-steps"), java.util.Map.entry("eval", "--eval-steps"),
      java.util.Map.entry("save steps", "--save-steps"), java.util.Map.entry("save total limit", "--save-total-limit"),
      java.util.Map.entry("LoRA rank", "--lora-rank"), java.util.Map.entry("LoRA alpha", "--lora-alpha"),
      java.util.Map.entry("LoRA dropout", "--lora-dropout"), java.util.Map.entry("LoRA target", "--lora-targets"),
      java.util.Map.entry("max length", "--max-length"), java.util.Map.entry("maxLength", "--max-length"));

  /** Values a preset supplies for options the user did not give. */
  public record Preset(Double lr, Integer batchSize, Integer gradAccum, Long steps) {
    public static final Preset NONE = new Preset(null, null, null, null);
  }

  /** The loop config: explicit options, else the preset, else the defaults. */
  public TrainingConfig toConfig(Preset preset, double defaultLr) {
    Long st = steps != null ? steps : (epochs == null ? preset.steps() : null);
    double lrv = lr != null ? lr : (preset.lr() != null ? preset.lr() : defaultLr);
    AdamWConfig adam = new AdamWConfig(lrv,
        beta1 != null ? beta1 : AdamWConfig.DEFAULT_BETA1,
        beta2 != null ? beta2 : AdamWConfig.DEFAULT_BETA2,
        epsilon != null ? epsilon : AdamWConfig.DEFAULT_EPSILON,
        weightDecay != null ? weightDecay : AdamWConfig.DEFAULT_WEIGHT_DECAY);
    return new TrainingConfig(
        st == null ? 0 : st,
        epochs != null ? epochs : TrainingConfig.DEFAULT_EPOCHS,
        batchSize != null ? batchSize : preset.batchSize() != null ? preset.batchSize() : TrainingConfig.DEFAULT_BATCH_SIZE,
        gradAccum != null ? gradAccum : preset.gradAccum() != null ? preset.gradAccum()
            : TrainingConfig.DEFAULT_GRADIENT_ACCUMULATION_STEPS,
        adam,
        lrScheduler != null ? lrScheduler : TrainingConfig.DEFAULT_LR_SCHEDULER,
        warmupSteps != null ? warmupSteps : 0,
        maxGradNorm != null ? maxGradNorm : TrainingConfig.DEFAULT_MAX_GRAD_NORM,
        seed != null ? seed : TrainingConfig.DEFAULT_SEED,
        loggingSteps != null ? loggingSteps : TrainingConfig.DEFAULT_LOGGING_STEPS,
        evalSteps != null ? evalSteps : 0,
        saveSteps != null ? saveSteps : TrainingConfig.DEFAULT_SAVE_STEPS,
        saveTotalLimit != null ? saveTotalLimit : TrainingConfig.DEFAULT_SAVE_TOTAL_LIMIT,
        !noProgress);
  }
}

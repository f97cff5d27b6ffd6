package org.genderalign.trainer.training;

import java.util.Objects;
import org.genderalign.trainer.optim.AdamWConfig;
import org.genderalign.trainer.optim.LrSchedule;

/**
 * What the generic loop needs, named as Hugging Face TrainingArguments name it. Validated when
 * built. A run is {@code maxSteps} optimizer steps, or, when {@code maxSteps} is 0,
 * {@code epochs} passes over the training examples.
 *
 * @param maxSteps optimizer steps (0 = use {@code epochs})
 * @param epochs passes over the data when {@code maxSteps} is 0
 * @param batchSize examples per micro-batch (per forward pass)
 * @param gradientAccumulationSteps micro-batches per optimizer step
 * @param optimizer AdamW settings (peak learning rate included)
 * @param lrScheduler {@code constant}, {@code linear} or {@code cosine}
 * @param warmupSteps linear warmup steps
 * @param maxGradNorm global-norm clipping threshold (0 = no clipping)
 * @param seed seed for data order and dropout
 * @param loggingSteps write a metrics line every N steps
 * @param evalSteps evaluate every N steps (0 = only at the end, when eval data is given)
 * @param saveSteps checkpoint every N steps (0 = no intermediate checkpoints)
 * @param saveTotalLimit checkpoints kept
 * @param progressBar show a console progress bar
 */
public record TrainingConfig(
    long maxSteps,
    double epochs,
    int batchSize,
    int gradientAccumulationSteps,
    AdamWConfig optimizer,
    String lrScheduler,
    long warmupSteps,
    double maxGradNorm,
    long seed,
    long loggingSteps,
    long evalSteps,
    long saveSteps,
    int saveTotalLimit,
    boolean progressBar) {

  public static final int DEFAULT_BATCH_SIZE = 8;
  public static final int DEFAULT_GRADIENT_ACCUMULATION_STEPS = 1;
  /** HF's default scheduler. */
  public static final String DEFAULT_LR_SCHEDULER = "linear";
  /** HF's default clipping threshold. */
  public static final double DEFAULT_MAX_GRAD_NORM = 1.0;
  public static final long DEFAULT_SEED = 42;
  public static final long DEFAULT_LOGGING_STEPS = 10;
  public static final long DEFAULT_SAVE_STEPS = 500;
  public static final int DEFAULT_SAVE_TOTAL_LIMIT = 2;
  public static final double DEFAULT_EPOCHS = 1;

  public TrainingConfig {
    Objects.requireNonNull(optimizer, "optimizer");
    if (maxSteps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + maxSteps);
    }
    if (maxSteps == 0 && !(epochs > 0)) {
      throw new IllegalArgumentException("give steps > 0 or epochs > 0");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    if (gradientAccumulationSteps < 1) {
      throw new IllegalArgumentException("gradient accumulation steps must be >= 1, got " + gradientAccumulationSteps);
    }
    LrSchedule.of(lrScheduler, 0, 1); // validates the name
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("warmup steps must be >= 0, got " + warmupSteps);
    }
    if (!(maxGradNorm >= 0) || Double.isInfinite(maxGradNorm)) {
      throw new IllegalArgumentException("max grad norm must be >= 0 (0 = no clipping), got " + maxGradNorm);
    }
    if (loggingSteps < 1) {
      throw new IllegalArgumentException("logging steps must be >= 1, got " + loggingSteps);
    }
    if (evalSteps < 0 || saveSteps < 0) {
      throw new IllegalArgumentException("eval and save steps must be >= 0");
    }
    if (saveTotalLimit < 1) {
      throw new IllegalArgumentException("save total limit must be >= 1, got " + saveTotalLimit);
    }
  }

  /** Examples per optimizer step. */
  public int examplesPerStep() {
    return batchSize * gradientAccumulationSteps;
  }

  /** Optimizer steps of the run for {@code examples} training examples. */
  public long totalSteps(int examples) {
    if (maxSteps > 0) {
      return maxSteps;
    }
    return Math.max(1, (long) Math.ceil(epochs * examples / examplesPerStep()));
  }

  /** A builder-style copy with another step count. */
  public TrainingConfig withMaxSteps(long steps) {
    return new TrainingConfig(steps, epochs, batchSize, gradientAccumulationSteps, optimizer, lrScheduler,
        warmupSteps, maxGradNorm, seed, loggingSteps, evalSteps, saveSteps, saveTotalLimit, progressBar);
  }

  public TrainingConfig withSaveSteps(long steps) {
    return new TrainingConfig(maxSteps, epochs, batchSize, gradientAccumulationSteps, optimizer, lrScheduler,
        warmupSteps, maxGradNorm, seed, loggingSteps, evalSteps, steps, saveTotalLimit, progressBar);
  }

  /** The fields that must be equal for a resumed run to continue the same computation. */
  public String determinismKey() {
    return String.join("|", String.valueOf(maxSteps), String.valueOf(epochs), String.valueOf(batchSize),
        String.valueOf(gradientAccumulationSteps), optimizer.toString(), lrScheduler,
        String.valueOf(warmupSteps), String.valueOf(maxGradNorm), String.valueOf(seed));
  }
}

package org.genderalign.trainer.grpo;

import java.nio.file.Path;
import java.util.Objects;
import org.genderalign.trainer.lora.LoraConfig;
import org.genderalign.trainer.training.TrainingConfig;

/**
 * Everything one GRPO run needs besides the model, the prompts and the reward functions, as the
 * CLI's {@code train grpo} parses it; names and defaults as TRL's {@code GRPOConfig}. Serialized
 * into the run's provenance. A micro-batch of {@code training.batchSize()} prompts holds
 * {@code batchSize × numGenerations} completions (TRL counts its per-device batch in completions).
 *
 * @param loss the loss ({@code maxCompletionLength} is also the generation's max new tokens)
 * @param training loop settings (batch size in prompts)
 * @param lora LoRA settings, or null for full fine-tuning (then β ≠ 0 loads a frozen reference copy)
 * @param numGenerations G, completions per prompt (at least 2: the group's std needs two)
 * @param numIterations μ, optimizer steps per generation; checkpoints must fall on generation
 *     boundaries ({@code saveSteps} a multiple of μ) so that a resumed run is bit-identical
 * @param scaleRewards {@code group}, {@code batch} or {@code none} ({@link Advantages})
 * @param temperature sampling temperature (> 0); the log-probs are of the tempered distribution, as TRL's
 * @param topP nucleus mass in (0, 1]
 * @param topK top-k (0 = off)
 * @param generationBatchSize rows the generator decodes together
 * @param maxPromptLength prompts keep their last this-many tokens
 * @param promptTemplate name of the {@link org.genderalign.trainer.data.PromptTemplate}
 * @param outDir the run's output folder
 * @param resume continue from the newest checkpoint in {@code outDir}
 */
public record GrpoRunConfig(
    GrpoLossConfig loss,
    TrainingConfig training,
    LoraConfig lora,
    int numGenerations,
    int numIterations,
    String scaleRewards,
    float temperature,
    float topP,
    int topK,
    int generationBatchSize,
    int maxPromptLength,
    String promptTemplate,
    Path outDir,
    boolean resume) {

  /** TRL's default. */
  public static final int DEFAULT_NUM_GENERATIONS = 8;
  public static final int DEFAULT_NUM_ITERATIONS = 1;
  /** TRL's is 512; stories260K's whole context is 512, so half of it here. */
  public static final int DEFAULT_MAX_COMPLETION_LENGTH = 256;
  public static final float DEFAULT_TEMPERATURE = 1.0f;
  public static final float DEFAULT_TOP_P = 1.0f;
  public static final int DEFAULT_TOP_K = 0;
  public static final int DEFAULT_MAX_PROMPT_LENGTH = 256;
  public static final int DEFAULT_GENERATION_BATCH_SIZE = 32;
  /** TRL's GRPOConfig learning rate. */
  public static final double DEFAULT_LEARNING_RATE = 1e-6;

  public GrpoRunConfig {
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(training, "training");
    Objects.requireNonNull(outDir, "outDir");
    if (numGenerations < 2) {
      throw new IllegalArgumentException("num generations must be >= 2 (a group's std needs two completions), got "
          + numGenerations);
    }
    if (numIterations < 1) {
      throw new IllegalArgumentException("num iterations must be >= 1, got " + numIterations);
    }
    if (numIterations > 1 && training.saveSteps() % numIterations != 0) {
      throw new IllegalArgumentException("save steps (" + training.saveSteps() + ") must be a multiple of num iterations ("
          + numIterations + "): a checkpoint inside a generation's iterations could not resume bit-identically");
    }
    scaleRewards = Advantages.scale(scaleRewards);
    if (!(temperature > 0) || Float.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be > 0 and finite (GRPO samples), got " + temperature);
    }
    if (!(topP > 0) || topP > 1) {
      throw new IllegalArgumentException("top p must be in (0, 1], got " + topP);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("top k must be >= 0 (0 = off), got " + topK);
    }
    if (generationBatchSize < 1) {
      throw new IllegalArgumentException("generation batch size must be >= 1, got " + generationBatchSize);
    }
    if (maxPromptLength < 1) {
      throw new IllegalArgumentException("max prompt length must be >= 1, got " + maxPromptLength);
    }
    promptTemplate = promptTemplate == null ? "raw" : promptTemplate;
  }

  /** Max new tokens per completion. */
  public int maxCompletionLength() {
    return loss.maxCompletionLength();
  }
}

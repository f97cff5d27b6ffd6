package org.genderalign.trainer.dpo;

import java.nio.file.Path;
import java.util.Objects;
import org.genderalign.trainer.data.PairEncoder;
import org.genderalign.trainer.dpo.loss.PreferenceLossConfig;
import org.genderalign.trainer.lora.LoraConfig;
import org.genderalign.trainer.training.TrainingConfig;

/**
 * Everything one DPO run needs besides the model and the data, as the CLI's {@code train dpo}
 * parses it. Serialized into the run's provenance.
 *
 * @param loss the preference loss and its hyper-parameters
 * @param training loop settings (steps, batch, AdamW, schedule, checkpoints…)
 * @param lora LoRA settings, or null for full fine-tuning with a frozen reference copy
 * @param maxLength maximum prompt + completion tokens
 * @param promptTemplate name of the {@link org.genderalign.trainer.data.PromptTemplate}
 * @param precomputeReference compute reference log-probs once before training (and cache them)
 * @param referenceCacheDir the {@link org.genderalign.trainer.score.ScoreCache} folder the precompute
 *     reads and writes (null = no disk cache)
 * @param outDir the run's output folder
 * @param resume continue from the newest checkpoint in {@code outDir}
 */
public record DpoRunConfig(
    PreferenceLossConfig loss,
    TrainingConfig training,
    LoraConfig lora,
    int maxLength,
    String promptTemplate,
    boolean precomputeReference,
    Path referenceCacheDir,
    Path outDir,
    boolean resume) {

  /** TRL's DPOConfig {@code max_length} default is 1024; stories260K's context is 512. */
  public static final int DEFAULT_MAX_LENGTH = PairEncoder.DEFAULT_MAX_LENGTH;

  public DpoRunConfig {
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(training, "training");
    Objects.requireNonNull(outDir, "outDir");
    if (maxLength < 2) {
      throw new IllegalArgumentException("max length must be >= 2, got " + maxLength);
    }
    promptTemplate = promptTemplate == null ? "raw" : promptTemplate;
  }
}

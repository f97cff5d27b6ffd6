package org.genderalign.trainer.kto;

import java.nio.file.Path;
import java.util.Objects;
import org.genderalign.trainer.data.PairEncoder;
import org.genderalign.trainer.lora.LoraConfig;
import org.genderalign.trainer.training.TrainingConfig;

/**
 * Everything one KTO run needs besides the model and the data, as the CLI's {@code train kto}
 * parses it. Serialized into the run's provenance.
 *
 * @param loss the KTO loss and its hyper-parameters
 * @param training loop settings; with the KL baseline the batch must hold at least 2 examples
 *     (TRL refuses a per-device batch of 1: the "mismatched" completion would be the example's own)
 * @param lora LoRA settings, or null for full fine-tuning with a frozen reference copy
 * @param maxLength maximum prompt + completion tokens
 * @param promptTemplate name of the {@link org.genderalign.trainer.data.PromptTemplate}
 * @param outDir the run's output folder
 * @param resume continue from the newest checkpoint in {@code outDir}
 */
public record KtoRunConfig(
    KtoLossConfig loss,
    TrainingConfig training,
    LoraConfig lora,
    int maxLength,
    String promptTemplate,
    Path outDir,
    boolean resume) {

  /** As DPO: stories260K's context is 512 (TRL's KTOConfig {@code max_length} default is 1024). */
  public static final int DEFAULT_MAX_LENGTH = PairEncoder.DEFAULT_MAX_LENGTH;

  public KtoRunConfig {
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(training, "training");
    Objects.requireNonNull(outDir, "outDir");
    if (maxLength < 2) {
      throw new IllegalArgumentException("max length must be >= 2, got " + maxLength);
    }
    if (loss.needsKl() && training.batchSize() < 2) {
      throw new IllegalArgumentException("KTO's KL baseline needs a batch size of at least 2 (got "
          + training.batchSize() + "): with one example the mismatched completion is its own");
    }
    promptTemplate = promptTemplate == null ? "raw" : promptTemplate;
  }
}

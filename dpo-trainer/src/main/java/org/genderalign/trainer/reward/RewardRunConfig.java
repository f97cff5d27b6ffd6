package org.genderalign.trainer.reward;

import java.nio.file.Path;
import java.util.Objects;
import org.genderalign.trainer.data.PairEncoder;
import org.genderalign.trainer.data.PromptTemplate;
import org.genderalign.trainer.lora.LoraConfig;
import org.genderalign.trainer.training.TrainingConfig;

/**
 * Everything one reward-model run needs besides the model and the data, as the CLI's
 * {@code train reward} parses it (TRL {@code RewardConfig} names in the comments). Serialized
 * into the run's provenance.
 *
 * @param training loop settings (steps, batch, AdamW, schedule, checkpoints…)
 * @param lora LoRA settings (the head trains too), or null for full fine-tuning
 * @param maxLength longest prompt + answer in tokens; longer pairs are dropped ({@code max_length})
 * @param truncate keep the first {@code maxLength} tokens of a longer sequence instead of dropping
 *     its pair (what {@link RewardScorer} does when scoring); TRL drops
 * @param promptTemplate name of the {@link PromptTemplate}
 * @param centerRewardsCoefficient weight of the mean squared summed reward, or null for none
 *     ({@code center_rewards_coefficient}; TRL's default None)
 * @param padTokenId padding id of a fresh head, or null for the tokenizer's EOS (TRL's fallback)
 * @param outDir the run's output folder
 * @param resume continue from the newest checkpoint in {@code outDir}
 */
public record RewardRunConfig(
    TrainingConfig training,
    LoraConfig lora,
    int maxLength,
    boolean truncate,
    String promptTemplate,
    Double centerRewardsCoefficient,
    Integer padTokenId,
    Path outDir,
    boolean resume) {

  /** TRL's RewardConfig {@code max_length} is 1024; stories260K's context is 512. */
  public static final int DEFAULT_MAX_LENGTH = PairEncoder.DEFAULT_MAX_LENGTH;
  /**
   * TRL's RewardConfig default learning rate (1e-4, higher than HF's 5e-5: the head starts from
   * scratch).
   */
  public static final double DEFAULT_LEARNING_RATE = 1e-4;

  public RewardRunConfig {
    Objects.requireNonNull(training, "training");
    Objects.requireNonNull(outDir, "outDir");
    if (maxLength < 2) {
      throw new IllegalArgumentException("max length must be >= 2, got " + maxLength);
    }
    promptTemplate = promptTemplate == null ? PromptTemplate.RAW : promptTemplate;
    PromptTemplate.named(promptTemplate); // validates the name
    if (centerRewardsCoefficient != null && !(centerRewardsCoefficient >= 0 && Double.isFinite(centerRewardsCoefficient))) {
      throw new IllegalArgumentException("center rewards coefficient must be a finite number >= 0, got "
          + centerRewardsCoefficient);
    }
    if (padTokenId != null && padTokenId < 0) {
      throw new IllegalArgumentException("pad token id must be >= 0, got " + padTokenId);
    }
  }
}

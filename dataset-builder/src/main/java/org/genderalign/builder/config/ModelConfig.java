package org.genderalign.builder.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import lombok.Builder;

/**
 * The local-model backend: a dpo-trainer model (e.g. the unaligned Alpaca-SFT "Base") that
 * writes rejected answers, as the paper did with Llama-2-Alpaca.
 *
 * @param checkpoint model file or checkpoint folder, or a data-root id such as
 *     {@code model-stories260k}
 * @param tokenizer tokenizer file or data-root id
 * @param maxNewTokens tokens generated per answer
 * @param temperature sampling temperature (0 = greedy)
 * @param batchSize prompts generated together
 */
@Builder(toBuilder = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelConfig(
    String checkpoint, String tokenizer, Integer maxNewTokens, Double temperature, Integer batchSize) {

  public static final int DEFAULT_MAX_NEW_TOKENS = 128;
  public static final double DEFAULT_TEMPERATURE = 0.8;
  public static final int DEFAULT_BATCH_SIZE = 8;

  public ModelConfig {
    maxNewTokens = BuildConfig.orDefault(maxNewTokens, DEFAULT_MAX_NEW_TOKENS);
    temperature = temperature == null ? DEFAULT_TEMPERATURE : temperature;
    batchSize = BuildConfig.orDefault(batchSize, DEFAULT_BATCH_SIZE);
    BuildConfig.check(maxNewTokens >= 1, "model.maxNewTokens", "must be ≥ 1, got " + maxNewTokens);
    BuildConfig.check(temperature >= 0, "model.temperature", "must be ≥ 0, got " + temperature);
    BuildConfig.check(batchSize >= 1, "model.batchSize", "must be ≥ 1, got " + batchSize);
  }
}

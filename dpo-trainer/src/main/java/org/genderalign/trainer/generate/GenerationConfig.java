package org.genderalign.trainer.generate;

import java.util.List;
import lombok.Builder;

/**
 * How to generate: validated, immutable.
 *
 * @param maxTokens new tokens per prompt at most (also bounded by the model's maxSeqLen)
 * @param temperature 0 = greedy (argmax, first maximum on ties, as run.c); otherwise logits are
 *     divided by it before sampling
 * @param topP nucleus sampling mass in (0, 1]; 1 (or ≥ 1) samples from the full distribution, as
 *     run.c
 * @param topK when sampling, only the {@code topK} most probable tokens are candidates (0 = all;
 *     applied before top-p, as Hugging Face does)
 * @param seed seed of each row's random stream (run.c's xorshift): by default every prompt
 *     starts from it, so a prompt's sample does not depend on the batch it is in; GRPO-style
 *     callers give each row its own seed ({@link Generator#rowSeed})
 * @param batchSize prompts generated together (left-padded)
 * @param stopAtEos whether EOS (and BOS, which llama2.c models emit between stories) ends a
 *     generation
 * @param stopStrings strings that end a generation when they appear in its text; the text is
 *     cut just before the first one (empty = none)
 */
@Builder(toBuilder = true)
public record GenerationConfig(int maxTokens, float temperature, float topP, int topK, long seed,
    int batchSize, boolean stopAtEos, List<String> stopStrings) {

  /** 256 new tokens, as run.c's default {@code -n}. */
  public static final int DEFAULT_MAX_TOKENS = 256;
  /** Greedy by default: reproducible output for evaluation. */
  public static final float DEFAULT_TEMPERATURE = 0f;
  /** run.c's default top-p. */
  public static final float DEFAULT_TOP_P = 0.9f;
  public static final long DEFAULT_SEED = 42;
  public static final int DEFAULT_BATCH_SIZE = 8;

  public GenerationConfig {
    if (maxTokens < 0) {
      throw new IllegalArgumentException("maxTokens must be >= 0: " + maxTokens);
    }
    if (!(temperature >= 0) || Float.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be >= 0 and finite: " + temperature);
    }
    if (!(topP > 0) || topP > 1) {
      throw new IllegalArgumentException("topP must be in (0, 1]: " + topP);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("topK must be >= 0 (0 = off): " + topK);
    }
    stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
    if (stopStrings.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("a stop string must not be empty");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
    }
  }

  /** The defaults: 256 greedy tokens, stopping at EOS/BOS, no stop strings, batches of 8. */
  public static GenerationConfig defaults() {
    return new GenerationConfig(DEFAULT_MAX_TOKENS, DEFAULT_TEMPERATURE, DEFAULT_TOP_P, 0,
        DEFAULT_SEED, DEFAULT_BATCH_SIZE, true, List.of());
  }

  /** Greedy decoding of up to {@code maxTokens} tokens. */
  public static GenerationConfig greedy(int maxTokens) {
    return defaults().toBuilder().maxTokens(maxTokens).build();
  }
}

package org.genderalign.trainer.score;

import java.nio.file.Path;

/**
 * Settings of a {@link LogLikelihoodScorer}.
 *
 * @param batchSize sequences per forward pass (default {@value #DEFAULT_BATCH_SIZE}); batches are
 *     also capped so their logits stay small (see the scorer)
 * @param cacheDir the on-disk result cache's folder, or null for no cache ({@code --no-cache})
 */
public record ScorerConfig(int batchSize, Path cacheDir) {

  /** Default sequences per forward pass. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  public ScorerConfig {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
    }
  }

  /** Default batch size, no cache. */
  public static ScorerConfig defaults() {
    return new ScorerConfig(DEFAULT_BATCH_SIZE, null);
  }

  public ScorerConfig withCacheDir(Path dir) {
    return new ScorerConfig(batchSize, dir);
  }

  public ScorerConfig withBatchSize(int size) {
    return new ScorerConfig(size, cacheDir);
  }
}

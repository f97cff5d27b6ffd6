package org.genderalign.trainer.score;

import java.nio.file.Path;

/**
 * Settings of a {@link LogLikelihoodScorer}.
 *
 * @param batchSize packed rows per forward pass (default {@value #DEFAULT_BATCH_SIZE}); a row
 *     holds one context and the continuations that share it, or one request when sharing is off.
 *     Batches are also capped in tokens ({@link LogLikelihoodScorer#MAX_BATCH_TOKENS})
 * @param cacheDir the on-disk result cache's folder ({@link ScoreCache}), or null for no cache
 *     ({@code --no-cache}); {@link ScoreCache#defaultDir()} is the usual choice
 * @param shareContexts whether requests with the same context tokens are packed into one row so
 *     that the context, and the continuations' common prefixes, are computed once (default
 *     true); false scores every request in a row of its own (same numbers, for tests and
 *     comparisons)
 */
public record ScorerConfig(int batchSize, Path cacheDir, boolean shareContexts) {

  /** Default packed rows per forward pass. */
  public static final int DEFAULT_BATCH_SIZE = 32;
  /** By default requests that share a context share its computation. */
  public static final boolean DEFAULT_SHARE_CONTEXTS = true;

  public ScorerConfig {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
    }
  }

  /** Sharing contexts (the default). */
  public ScorerConfig(int batchSize, Path cacheDir) {
    this(batchSize, cacheDir, DEFAULT_SHARE_CONTEXTS);
  }

  /** Default batch size, shared contexts, no cache. */
  public static ScorerConfig defaults() {
    return new ScorerConfig(DEFAULT_BATCH_SIZE, null, DEFAULT_SHARE_CONTEXTS);
  }

  public ScorerConfig withCacheDir(Path dir) {
    return new ScorerConfig(batchSize, dir, shareContexts);
  }

  public ScorerConfig withBatchSize(int size) {
    return new ScorerConfig(size, cacheDir, shareContexts);
  }

  public ScorerConfig withShareContexts(boolean share) {
    return new ScorerConfig(batchSize, cacheDir, share);
  }
}

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
 * @param threads batches scored concurrently (default {@value #DEFAULT_THREADS}). More than one
 *     pays off for small models on CPU, whose operators use few cores each: run the JVM with
 *     {@code -Dai.djl.pytorch.num_threads=1} and one thread per core here. Results do not
 *     depend on it.
 */
public record ScorerConfig(int batchSize, Path cacheDir, boolean shareContexts, int threads) {

  /** Default packed rows per forward pass. */
  public static final int DEFAULT_BATCH_SIZE = 32;
  /** By default requests that share a context share its computation. */
  public static final boolean DEFAULT_SHARE_CONTEXTS = true;
  /** By default one batch at a time (the operators use the cores). */
  public static final int DEFAULT_THREADS = 1;

  public ScorerConfig {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1: " + threads);
    }
  }

  /** Shared contexts and one thread (the defaults). */
  public ScorerConfig(int batchSize, Path cacheDir) {
    this(batchSize, cacheDir, DEFAULT_SHARE_CONTEXTS, DEFAULT_THREADS);
  }

  /** Default batch size, shared contexts, one thread, no cache. */
  public static ScorerConfig defaults() {
    return new ScorerConfig(DEFAULT_BATCH_SIZE, null, DEFAULT_SHARE_CONTEXTS, DEFAULT_THREADS);
  }

  public ScorerConfig withCacheDir(Path dir) {
    return new ScorerConfig(batchSize, dir, shareContexts, threads);
  }

  public ScorerConfig withBatchSize(int size) {
    return new ScorerConfig(size, cacheDir, shareContexts, threads);
  }

  public ScorerConfig withShareContexts(boolean share) {
    return new ScorerConfig(batchSize, cacheDir, share, threads);
  }

  public ScorerConfig withThreads(int n) {
    return new ScorerConfig(batchSize, cacheDir, shareContexts, n);
  }
}

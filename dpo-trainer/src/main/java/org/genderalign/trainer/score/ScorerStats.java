package org.genderalign.trainer.score;

/**
 * What a {@link LogLikelihoodScorer} has done since it was made (for reports and tests).
 *
 * @param requests requests asked for
 * @param cacheHits requests answered from the on-disk cache
 * @param computed requests answered by the model (empty continuations count as neither)
 * @param forwardPasses forward passes run
 * @param rowTokens tokens run through the model (packed rows, padding excluded); with shared
 *     contexts this is less than the requests' own tokens
 * @param requestTokens context + continuation tokens of the computed requests
 * @param corruptCacheEntries damaged cache records met (each recomputed)
 */
public record ScorerStats(long requests, long cacheHits, long computed, long forwardPasses,
    long rowTokens, long requestTokens, long corruptCacheEntries) {

  /** The difference {@code this - before}: what happened between two snapshots. */
  public ScorerStats minus(ScorerStats before) {
    return new ScorerStats(requests - before.requests, cacheHits - before.cacheHits,
        computed - before.computed, forwardPasses - before.forwardPasses,
        rowTokens - before.rowTokens, requestTokens - before.requestTokens,
        corruptCacheEntries - before.corruptCacheEntries);
  }

  /** One line for logs and summaries. */
  public String summary() {
    return String.format("%d requests: %d from cache, %d computed in %d forward passes "
        + "(%d tokens run for %d request tokens)%s", requests, cacheHits, computed, forwardPasses,
        rowTokens, requestTokens,
        corruptCacheEntries > 0 ? ", " + corruptCacheEntries + " damaged cache records recomputed"
            : "");
  }
}

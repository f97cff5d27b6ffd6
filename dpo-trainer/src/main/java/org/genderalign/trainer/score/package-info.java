/**
 * Log-likelihood scoring without gradients: {@link org.genderalign.trainer.score.LogLikelihoodScorer}
 * answers {@code (context, continuation)} requests — text ({@link
 * org.genderalign.trainer.score.LoglikelihoodRequest}, tokenized as lm-evaluation-harness does by
 * {@link org.genderalign.trainer.score.HarnessEncoding}) or tokens ({@link
 * org.genderalign.trainer.score.TokenRequest}) — with the sum of log-probabilities, the token
 * count and whether the continuation is greedy. Requests sharing a context share its computation
 * ({@link org.genderalign.trainer.score.PackedRow}); results are kept on disk by {@link
 * org.genderalign.trainer.score.ScoreCache}, keyed by {@link
 * org.genderalign.trainer.score.ModelIdentity}, the tokenizer and the request's tokens. Used by
 * {@code score}, the DPO reference precompute and the evaluation benchmarks.
 */
package org.genderalign.trainer.score;

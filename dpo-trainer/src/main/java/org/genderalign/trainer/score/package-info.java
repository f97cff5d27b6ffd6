/**
 * Scoring sequences: {@link org.genderalign.trainer.score.SequenceScorer} sums a completion's
 * token log-probabilities (EOS included) given its prompt, batched and padded, with results that
 * do not depend on the batch.
 */
package org.genderalign.trainer.score;

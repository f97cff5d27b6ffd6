package org.genderalign.trainer.score;

import java.util.Objects;

/**
 * One text-level log-likelihood request, as lm-evaluation-harness poses them: the log-probability
 * of {@code continuation} given {@code context}. Tokenization follows eval-protocol.md §1.2 (see
 * {@link HarnessEncoding}): an empty context is BOS alone; otherwise trailing whitespace of the
 * context moves to the front of the continuation, {@code context + continuation} is encoded whole
 * and split at the encoded context's length.
 *
 * @param context the conditioning text (may be empty)
 * @param continuation the scored text (non-empty)
 */
public record LoglikelihoodRequest(String context, String continuation) {

  public LoglikelihoodRequest {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(continuation, "continuation");
    if (continuation.isEmpty()) {
      throw new IllegalArgumentException("empty continuation: nothing to score");
    }
  }
}

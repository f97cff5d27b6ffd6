package org.genderalign.trainer.score;

import java.util.Arrays;
import java.util.Objects;

/**
 * One token-level log-likelihood request: the summed log-probability of {@code continuation}
 * given {@code context}. Callers that tokenize themselves (DPO pairs: prompt and completion
 * tokenized apart, EOS appended) use this form; text requests are turned into it by
 * {@link HarnessEncoding}.
 *
 * @param context at least one token (usually starting with BOS)
 * @param continuation the scored tokens (may be empty: log-likelihood 0, 0 tokens)
 */
public record TokenRequest(int[] context, int[] continuation) {

  public TokenRequest {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(continuation, "continuation");
    if (context.length == 0) {
      throw new IllegalArgumentException("the context needs at least one token (BOS)");
    }
  }

  /** Tokens of context + continuation. */
  public int length() {
    return context.length + continuation.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenRequest r && Arrays.equals(context, r.context)
        && Arrays.equals(continuation, r.continuation);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(context) + Arrays.hashCode(continuation);
  }

  @Override
  public String toString() {
    return "TokenRequest[context=" + context.length + " tokens, continuation="
        + continuation.length + " tokens]";
  }
}

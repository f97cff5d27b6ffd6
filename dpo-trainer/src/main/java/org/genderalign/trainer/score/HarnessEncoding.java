package org.genderalign.trainer.score;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.genderalign.trainer.tokenizer.Tokenizer;

/**
 * Turns text requests into token requests exactly as lm-evaluation-harness does for a causal
 * model ({@code TemplateLM.loglikelihood} + {@code _encode_pair}; eval-protocol.md §1.2):
 * <ul>
 *   <li>empty context: context = {@code [BOS]}, continuation = {@code encode(continuation)} — every
 *       token after BOS is scored, the first word included;</li>
 *   <li>otherwise the context's trailing whitespace moves to the front of the continuation, then
 *       {@code whole = BOS + encode(context + continuation)}, {@code ctx = BOS +
 *       encode(context)}; the context is {@code ctx} and the continuation {@code
 *       whole[len(ctx):]} — a split by length only, as the harness does (it never checks that
 *       {@code whole} starts with {@code ctx}).</li>
 * </ul>
 * Thread-safe. The encodings of the last {@value #CONTEXT_CACHE} contexts are remembered.
 */
public final class HarnessEncoding {

  /** Distinct contexts whose encoding is remembered (a benchmark asks several choices in a row). */
  static final int CONTEXT_CACHE = 256;

  private final Tokenizer tokenizer;
  private final Map<String, int[]> contexts = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, int[]> eldest) {
      return size() > CONTEXT_CACHE;
    }
  };

  public HarnessEncoding(Tokenizer tokenizer) {
    this.tokenizer = Objects.requireNonNull(tokenizer);
    if (tokenizer.bosId() < 0) {
      // the harness would use EOS as prefix token; no model this project loads lacks a BOS
      throw new IllegalArgumentException("tokenizer " + tokenizer.describe()
          + " has no BOS token: harness-style scoring needs one");
    }
  }

  public TokenRequest encode(LoglikelihoodRequest request) {
    String context = request.context();
    String continuation = request.continuation();
    int bos = tokenizer.bosId();
    if (context.isEmpty()) {
      int[] cont = tokenizer.encode(continuation);
      if (cont.length > 0 && cont[0] == bos) {
        return new TokenRequest(new int[] {bos}, Arrays.copyOfRange(cont, 1, cont.length));
      }
      return new TokenRequest(new int[] {bos}, cont);
    }
    String stripped = context.stripTrailing();
    int moved = context.length() - stripped.length();
    if (moved > 0) {
      continuation = context.substring(stripped.length()) + continuation;
      context = stripped;
    }
    int[] whole = withBos(tokenizer.encode(context + continuation));
    int[] ctx = encodeContext(context);
    // the harness keeps encode(context) as the context and whole[len(ctx):] as the continuation
    int[] cont = whole.length <= ctx.length ? new int[0]
        : Arrays.copyOfRange(whole, ctx.length, whole.length);
    return new TokenRequest(ctx, cont);
  }

  /** BOS + encode(context), remembered for the next requests on the same context. */
  private int[] encodeContext(String context) {
    synchronized (contexts) {
      int[] hit = contexts.get(context);
      if (hit != null) {
        return hit;
      }
    }
    int[] ids = withBos(tokenizer.encode(context));
    synchronized (contexts) {
      contexts.put(context, ids);
    }
    return ids;
  }

  private int[] withBos(int[] ids) {
    int[] out = new int[ids.length + 1];
    out[0] = tokenizer.bosId();
    System.arraycopy(ids, 0, out, 1, ids.length);
    return out;
  }
}

package org.genderalign.trainer.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.model.LlamaModel;
import org.genderalign.trainer.tokenizer.Tokenizer;

/**
 * The project's one log-likelihood scorer: every caller that needs {@code log p(continuation |
 * context)} — evaluation benchmarks, {@code score}, the DPO reference precompute — asks it.
 *
 * <p>Requests are scored in right-padded batches (padding never influences real positions under
 * the causal mask). The forward pass runs in float32; per-token values come from {@code
 * log_softmax} over float32 logits and are summed in float64 (eval-protocol.md §1.3). A request
 * longer than the model's context fails loudly — nothing is ever truncated silently.
 */
public final class LogLikelihoodScorer {

  /** Upper bound on {@code B × T × V} logits per batch (~256 MiB of float32). */
  public static final long MAX_BATCH_LOGITS = 64L << 20;

  private final LlamaModel model;
  private final Tokenizer tokenizer;
  private final NDManager manager;
  private final ScorerConfig config;
  private final HarnessEncoding encoding;

  public LogLikelihoodScorer(LoadedModel model, ScorerConfig config) {
    this(model.block(), model.tokenizer(), model.manager(), config);
  }

  public LogLikelihoodScorer(LlamaModel model, Tokenizer tokenizer, NDManager manager,
      ScorerConfig config) {
    this.model = Objects.requireNonNull(model);
    this.tokenizer = Objects.requireNonNull(tokenizer);
    this.manager = Objects.requireNonNull(manager);
    this.config = Objects.requireNonNull(config);
    this.encoding = new HarnessEncoding(tokenizer);
  }

  public ScorerConfig config() {
    return config;
  }

  /** The harness tokenization this scorer applies to text requests. */
  public HarnessEncoding encoding() {
    return encoding;
  }

  /** Scores text requests; results in input order. */
  public List<LoglikelihoodResult> score(List<LoglikelihoodRequest> requests) {
    return score(requests, n -> {});
  }

  /**
   * Scores text requests; results in input order.
   *
   * @param progress told how many requests were just finished (for progress bars)
   */
  public List<LoglikelihoodResult> score(List<LoglikelihoodRequest> requests,
      IntConsumer progress) {
    List<TokenRequest> tokens = new ArrayList<>(requests.size());
    for (LoglikelihoodRequest r : requests) {
      tokens.add(encoding.encode(r));
    }
    return scoreTokens(tokens, progress);
  }

  /** Scores token requests; results in input order. */
  public List<LoglikelihoodResult> scoreTokens(List<TokenRequest> requests) {
    return scoreTokens(requests, n -> {});
  }

  /**
   * Scores token requests; results in input order.
   *
   * @throws IllegalArgumentException naming the first request longer than the model's context
   */
  public List<LoglikelihoodResult> scoreTokens(List<TokenRequest> requests,
      IntConsumer progress) {
    int n = requests.size();
    int maxLen = model.config().maxSeqLen();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      TokenRequest r = requests.get(i);
      if (r.length() > maxLen) {
        throw new IllegalArgumentException("request " + i + " has " + r.length()
            + " tokens, more than the model's context of " + maxLen
            + " (nothing is truncated: shorten the input or use a longer-context model)");
      }
    }
    // longest first: similar lengths share a batch (less padding); order does not change scores
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> -requests.get(i).length()));
    LoglikelihoodResult[] out = new LoglikelihoodResult[n];
    long vocab = model.config().vocabSize();
    int i = 0;
    while (i < n) {
      int t = requests.get(order[i]).length();
      int rows = (int) Math.max(1, Math.min(config.batchSize(),
          MAX_BATCH_LOGITS / Math.max(1, (long) t * vocab)));
      int end = Math.min(n, i + rows);
      scoreBatch(Arrays.copyOfRange(order, i, end), t, requests, out);
      progress.accept(end - i);
      i = end;
    }
    return Arrays.asList(out);
  }

  private void scoreBatch(Integer[] rows, int t, List<TokenRequest> requests,
      LoglikelihoodResult[] out) {
    int b = rows.length;
    if (t < 2) {
      for (Integer r : rows) {
        out[r] = new LoglikelihoodResult(0, 0, true);
      }
      return;
    }
    long[] ids = new long[b * t];
    for (int r = 0; r < b; r++) {
      TokenRequest q = requests.get(rows[r]);
      for (int j = 0; j < q.context().length; j++) {
        ids[r * t + j] = q.context()[j];
      }
      for (int j = 0; j < q.continuation().length; j++) {
        ids[r * t + q.context().length + j] = q.continuation()[j];
      }
    }
    try (NDManager step = manager.newSubManager()) {
      NDArray in = step.create(ids, new Shape(b, t));
      NDArray logits = model.forward(new ParameterStore(step, false), new NDList(in), false, null,
          false).singletonOrThrow(); // (B, T, V)
      NDArray lp = logits.get(":, :-1, :").logSoftmax(-1); // (B, T-1, V)
      NDArray targets = in.get(":, 1:"); // (B, T-1)
      float[] tok = lp.gather(targets.expandDims(-1), -1).squeeze(-1).toFloatArray(); // (B, T-1)
      long[] argmax = lp.argMax(-1).toType(DataType.INT64, false).toLongArray(); // (B, T-1)
      for (int r = 0; r < b; r++) {
        TokenRequest q = requests.get(rows[r]);
        double sum = 0;
        boolean greedy = true;
        for (int j = 0; j < q.continuation().length; j++) {
          // the token at position c+j is predicted by the logits at c+j-1
          int pos = r * (t - 1) + q.context().length + j - 1;
          sum += tok[pos];
          greedy &= argmax[pos] == q.continuation()[j];
        }
        out[rows[r]] = new LoglikelihoodResult(sum, q.continuation().length, greedy);
      }
    }
  }
}

package org.genderalign.trainer.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.genderalign.trainer.data.EncodedPair;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.model.LlamaModel;
import org.genderalign.trainer.tokenizer.Tokenizer;
import org.genderalign.trainer.training.SequenceLogProbs;

/**
 * The project's one log-likelihood scorer: every caller that needs {@code log p(continuation |
 * context)} without gradients — evaluation benchmarks, {@code score}, the DPO reference
 * precompute — asks it.
 *
 * <h2>How</h2>
 * <ol>
 *   <li>Requests already in the on-disk {@link ScoreCache} (when {@link ScorerConfig#cacheDir()}
 *       is set) are answered from it.</li>
 *   <li>The others are grouped by identical context tokens. A group becomes one packed row
 *       ({@link PackedRow}): the context once, then the continuations as a token tree, so common
 *       prefixes are computed once too; each token gets its unpacked RoPE position and sees only
 *       what it would see in its own sequence (a per-row attention mask), so the numbers are
 *       those of scoring each request alone. A row holds at most {@link #MAX_PACKED_LENGTH}
 *       tokens (or one request's length); a bigger group spreads over several rows.</li>
 *   <li>Rows, longest first, go through the model in batches ({@link ScorerConfig#batchSize()}
 *       rows, at most {@link #MAX_BATCH_TOKENS} padded tokens). The output head (final norm,
 *       {@code dim → vocab} projection, log-softmax) runs only on the hidden states that predict
 *       continuation tokens, gathered first; only the per-token log-probabilities and argmaxes
 *       are copied to the host.</li>
 * </ol>
 * The forward pass runs in float32; per-token values are {@code log_softmax} over float32 logits
 * and are summed in float64 (eval-protocol.md §1.3). A request longer than the model's context
 * fails loudly, naming it — nothing is ever truncated silently. Not thread-safe.
 */
public final class LogLikelihoodScorer {

  /** Upper bound on {@code positions × V} logits in one head application (~256 MiB of float32). */
  public static final long MAX_BATCH_LOGITS = 64L << 20;
  /** Upper bound on padded tokens ({@code rows × longest row}) in one forward pass. */
  public static final int MAX_BATCH_TOKENS = 1 << 14;
  /** Text requests tokenized on several cores from this many on. */
  static final int PARALLEL_ENCODE_MIN = 1024;
  /** Longest packed row (unless a single request is longer). */
  public static final int MAX_PACKED_LENGTH = 512;

  private final LlamaModel model;
  private final Tokenizer tokenizer;
  private final NDManager manager;
  private final ScorerConfig config;
  private final HarnessEncoding encoding;
  private final Supplier<String> modelIdentity;
  private ScoreCache cache;

  private long requests;
  private long cacheHits;
  private long computed;
  private long forwardPasses;
  private long rowTokens;
  private long requestTokens;

  /** A scorer of a loaded model, whose cache identity is {@link ModelIdentity#of(LoadedModel)}. */
  public LogLikelihoodScorer(LoadedModel model, ScorerConfig config) {
    this(model.block(), model.tokenizer(), model.manager(), config,
        () -> ModelIdentity.of(model));
  }

  /**
   * A scorer of a bare model; its cache identity (only computed when a cache is configured) is
   * the hash of its weights ({@link ModelIdentity#ofWeights}).
   */
  public LogLikelihoodScorer(LlamaModel model, Tokenizer tokenizer, NDManager manager,
      ScorerConfig config) {
    this(model, tokenizer, manager, config, () -> ModelIdentity.ofWeights(model));
  }

  /**
   * A scorer with an explicit cache identity for the weights.
   *
   * @param modelIdentity tells the weights apart in the cache (e.g. a file hash); asked at most
   *     once, and only when {@link ScorerConfig#cacheDir()} is set
   */
  public LogLikelihoodScorer(LlamaModel model, Tokenizer tokenizer, NDManager manager,
      ScorerConfig config, Supplier<String> modelIdentity) {
    this.model = Objects.requireNonNull(model);
    this.tokenizer = Objects.requireNonNull(tokenizer);
    this.manager = Objects.requireNonNull(manager);
    this.config = Objects.requireNonNull(config);
    this.modelIdentity = Objects.requireNonNull(modelIdentity);
    this.encoding = new HarnessEncoding(tokenizer);
  }

  public ScorerConfig config() {
    return config;
  }

  /** The harness tokenization this scorer applies to text requests. */
  public HarnessEncoding encoding() {
    return encoding;
  }

  /** What this scorer has done so far (cache hits, forward passes, tokens). */
  public ScorerStats stats() {
    return new ScorerStats(requests, cacheHits, computed, forwardPasses, rowTokens,
        requestTokens, cache == null ? 0 : cache.corruptRecords());
  }

  /** The cache's folder for this model and tokenizer, or null without a cache (opens it). */
  public java.nio.file.Path cacheFolder() {
    ScoreCache c = cache();
    return c == null ? null : c.folder();
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
    return scoreTokens(encodeAll(requests), progress);
  }

  /** The token requests of text requests, in order (eval-protocol.md §1.2). */
  List<TokenRequest> encodeAll(List<LoglikelihoodRequest> requests) {
    // tokenizing 68k BBQ requests takes seconds of one core: spread it over the cores (both
    // tokenizers are stateless once loaded)
    return requests.size() >= PARALLEL_ENCODE_MIN
        ? requests.parallelStream().map(encoding::encode).toList()
        : requests.stream().map(encoding::encode).toList();
  }

  /** Scores token requests; results in input order. */
  public List<LoglikelihoodResult> scoreTokens(List<TokenRequest> requests) {
    return scoreTokens(requests, n -> {});
  }

  /**
   * Scores token requests; results in input order.
   *
   * @param progress told how many requests were just finished (for progress bars)
   * @throws IllegalArgumentException naming the first request longer than the model's context
   *     or holding a token id outside the vocabulary
   * @throws UncheckedIOException when the cache folder cannot be read or written
   */
  public List<LoglikelihoodResult> scoreTokens(List<TokenRequest> requests,
      IntConsumer progress) {
    int n = requests.size();
    validate(requests);
    this.requests += n;
    LoglikelihoodResult[] out = new LoglikelihoodResult[n];
    List<Integer> todo = new ArrayList<>();
    int answered = 0;
    for (int i = 0; i < n; i++) {
      if (requests.get(i).continuation().length == 0) {
        out[i] = new LoglikelihoodResult(0, 0, true);
        answered++;
      } else {
        todo.add(i);
      }
    }
    ScoreCache c = cache();
    ScoreCache.Key[] keys = null;
    if (c != null && !todo.isEmpty()) {
      keys = new ScoreCache.Key[n];
      List<Integer> misses = new ArrayList<>();
      for (int i : todo) {
        keys[i] = c.key(requests.get(i));
        LoglikelihoodResult hit = c.get(keys[i], requests.get(i));
        if (hit != null) {
          out[i] = hit;
          answered++;
          cacheHits++;
        } else {
          misses.add(i);
        }
      }
      todo = misses;
    }
    if (answered > 0) {
      progress.accept(answered);
    }
    try {
      compute(todo, requests, out, keys, progress);
    } finally {
      if (c != null) {
        try {
          c.flush(); // what was computed survives an interruption
        } catch (IOException e) {
          throw new UncheckedIOException("writing the score cache in " + c.folder(), e);
        }
      }
    }
    return Arrays.asList(out);
  }

  /**
   * Scores preference pairs: {@code (prompt, chosen)} and {@code (prompt, rejected)} as token
   * requests (EOS included in the completions as the encoder made them); the two share their
   * prompt's computation.
   *
   * @param progress told how many pairs were just finished (for progress bars)
   * @return one score per pair, in input order
   */
  public List<PairScore> scorePairs(List<EncodedPair> pairs, IntConsumer progress) {
    List<TokenRequest> reqs = new ArrayList<>(2 * pairs.size());
    for (EncodedPair p : pairs) {
      reqs.add(new TokenRequest(p.prompt(), p.chosen()));
      reqs.add(new TokenRequest(p.prompt(), p.rejected()));
    }
    int[] done = new int[2]; // requests finished, pairs reported
    List<LoglikelihoodResult> r = scoreTokens(reqs, k -> {
      done[0] += k;
      if (done[0] / 2 > done[1]) {
        progress.accept(done[0] / 2 - done[1]);
        done[1] = done[0] / 2;
      }
    });
    List<PairScore> out = new ArrayList<>(pairs.size());
    for (int i = 0; i < pairs.size(); i++) {
      LoglikelihoodResult c = r.get(2 * i);
      LoglikelihoodResult j = r.get(2 * i + 1);
      out.add(new PairScore(pairs.get(i).id(), c.logLikelihood(), j.logLikelihood(), c.tokens(),
          j.tokens()));
    }
    return out;
  }

  private void validate(List<TokenRequest> requests) {
    int maxLen = model.config().maxSeqLen();
    int vocab = model.config().vocabSize();
    for (int i = 0; i < requests.size(); i++) {
      TokenRequest r = requests.get(i);
      if (r.length() > maxLen) {
        throw new IllegalArgumentException("request " + i + " has " + r.length()
            + " tokens, more than the model's context of " + maxLen
            + " (nothing is truncated: shorten the input or use a longer-context model)");
      }
      for (int[] part : new int[][] {r.context(), r.continuation()}) {
        for (int t : part) {
          if (t < 0 || t >= vocab) {
            throw new IllegalArgumentException("request " + i + " holds token id " + t
                + ", outside the model's vocabulary [0, " + vocab + ")");
          }
        }
      }
    }
  }

  private ScoreCache cache() {
    if (config.cacheDir() == null) {
      return null;
    }
    try {
      if (cache == null) {
        cache = ScoreCache.open(config.cacheDir(), modelIdentity.get(), tokenizer.describe());
      } else {
        cache.refresh(); // segments other processes wrote meanwhile
      }
    } catch (IOException e) {
      throw new UncheckedIOException("opening the score cache in " + config.cacheDir(), e);
    }
    return cache;
  }

  private void compute(List<Integer> todo, List<TokenRequest> requests, LoglikelihoodResult[] out,
      ScoreCache.Key[] keys, IntConsumer progress) {
    if (todo.isEmpty()) {
      return;
    }
    List<PackedRow> rows = pack(todo, requests);
    // longest first: similar lengths share a batch (less padding); order does not change scores
    rows.sort(Comparator.comparingInt(PackedRow::size).reversed());
    List<List<PackedRow>> batches = new ArrayList<>();
    for (int i = 0; i < rows.size(); ) {
      int t = rows.get(i).size();
      int end = Math.min(rows.size(), i + Math.max(1, Math.min(config.batchSize(),
          MAX_BATCH_TOKENS / t)));
      batches.add(rows.subList(i, end));
      i = end;
    }
    if (config.threads() == 1 || batches.size() == 1) {
      for (List<PackedRow> batch : batches) {
        runBatch(batch, batch.get(0).size(), out);
        finished(batch, requests, out, keys, progress);
      }
      return;
    }
    // several batches at once; results are taken (and cached) in batch order on this thread
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(config.threads(), r -> {
          Thread th = new Thread(r, "scorer");
          th.setDaemon(true);
          return th;
        });
    try {
      List<java.util.concurrent.Future<?>> running = new ArrayList<>();
      for (List<PackedRow> batch : batches) {
        running.add(pool.submit(() -> runBatch(batch, batch.get(0).size(), out)));
      }
      for (int b = 0; b < batches.size(); b++) {
        try {
          running.get(b).get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while scoring", e);
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof RuntimeException re) {
            throw re;
          }
          throw new IllegalStateException(e.getCause());
        }
        finished(batches.get(b), requests, out, keys, progress);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Counts, caches and reports the requests of a finished batch. */
  private void finished(List<PackedRow> batch, List<TokenRequest> requests,
      LoglikelihoodResult[] out, ScoreCache.Key[] keys, IntConsumer progress) {
    forwardPasses++;
    int done = 0;
    for (PackedRow row : batch) {
      rowTokens += row.size();
      for (int r : row.requests()) {
        done++;
        computed++;
        requestTokens += requests.get(r).length();
        if (keys != null) {
          try {
            cache.put(keys[r], out[r]);
          } catch (IOException e) {
            throw new UncheckedIOException("writing the score cache in " + cache.folder(), e);
          }
        }
      }
    }
    progress.accept(done);
  }

  /** Groups requests by context into packed rows (one request per row when sharing is off). */
  private List<PackedRow> pack(List<Integer> todo, List<TokenRequest> requests) {
    int limit = Math.min(model.config().maxSeqLen(), MAX_PACKED_LENGTH);
    List<PackedRow> rows = new ArrayList<>();
    if (!config.shareContexts()) {
      for (int i : todo) {
        PackedRow row = new PackedRow(requests.get(i).context());
        row.add(i, requests.get(i).continuation());
        rows.add(row);
      }
      return rows;
    }
    Map<ContextKey, List<Integer>> groups = new LinkedHashMap<>();
    for (int i : todo) {
      groups.computeIfAbsent(new ContextKey(requests.get(i).context()), k -> new ArrayList<>())
          .add(i);
    }
    for (Map.Entry<ContextKey, List<Integer>> g : groups.entrySet()) {
      PackedRow row = null;
      for (int i : g.getValue()) {
        int[] cont = requests.get(i).continuation();
        if (row != null && row.size() + row.newNodes(cont) > limit) {
          rows.add(row);
          row = null;
        }
        if (row == null) {
          row = new PackedRow(g.getKey().tokens());
        }
        row.add(i, cont);
      }
      rows.add(row);
    }
    return rows;
  }

  /**
   * Runs one batch of packed rows (padded to {@code t}) and fills their requests' results. Touches
   * nothing else, so batches may run on several threads.
   */
  private void runBatch(List<PackedRow> rows, int t, LoglikelihoodResult[] out) {
    int b = rows.size();
    boolean chains = true;
    int edges = 0;
    for (PackedRow row : rows) {
      edges += row.size() - row.contextLength();
      chains &= row.isChain();
    }
    long[] ids = new long[b * t];
    long[] positions = chains ? null : new long[b * t];
    boolean[] visible = chains ? null : new boolean[b * t * t];
    // edge e: the hidden state at flat position gather[e] predicts token target[e]
    long[] gather = new long[edges];
    long[] target = new long[edges];
    int[][] edgeOf = new int[b][];
    int e = 0;
    for (int r = 0; r < b; r++) {
      PackedRow row = rows.get(r);
      edgeOf[r] = new int[row.size()];
      for (int q = 0; q < row.size(); q++) {
        ids[r * t + q] = row.token(q);
        if (!chains) {
          positions[r * t + q] = row.depth(q);
        }
        if (q >= row.contextLength()) {
          gather[e] = (long) r * t + row.parent(q);
          target[e] = row.token(q);
          edgeOf[r][q] = e++;
        }
      }
      if (!chains) {
        row.fillMask(visible, r * t * t, t);
      }
    }
    float[] logp = new float[edges];
    long[] argmax = new long[edges];
    int dim = model.config().dim();
    long vocab = model.config().vocabSize();
    int chunk = (int) Math.max(1, Math.min(edges, MAX_BATCH_LOGITS / vocab));
    try (NDManager step = manager.newSubManager()) {
      ParameterStore ps = new ParameterStore(step, false);
      // rows that are plain sequences need neither the tree mask nor explicit positions (right
      // padding is harmless under the causal mask)
      NDList inputs = chains ? new NDList(step.create(ids, new Shape(b, t)))
          : new NDList(step.create(ids, new Shape(b, t)), step.create(visible, new Shape(b, t, t)),
              step.create(positions, new Shape(b, t)));
      NDArray hidden = model.hidden(ps, inputs, false, null).reshape(b * t, dim); // (B*T, dim)
      for (int from = 0; from < edges; from += chunk) {
        int to = Math.min(edges, from + chunk);
        NDArray idx = step.create(Arrays.copyOfRange(gather, from, to)); // (E)
        NDArray tgt = step.create(Arrays.copyOfRange(target, from, to)); // (E)
        NDArray h = Embedding.embedding(idx, hidden, SparseFormat.DENSE).singletonOrThrow(); // (E, dim)
        NDArray logits = model.head(ps, h, false); // (E, V)
        System.arraycopy(SequenceLogProbs.tokenLogps(logits, tgt).toFloatArray(), 0, logp, from,
            to - from);
        System.arraycopy(logits.argMax(-1).toType(DataType.INT64, false).toLongArray(), 0,
            argmax, from, to - from);
      }
    }
    for (int r = 0; r < b; r++) {
      PackedRow row = rows.get(r);
      for (int k = 0; k < row.requests().size(); k++) {
        double sum = 0;
        boolean greedy = true;
        for (int node : row.path(k)) {
          int edge = edgeOf[r][node];
          sum += logp[edge];
          greedy &= argmax[edge] == target[edge];
        }
        out[row.requests().get(k)] = new LoglikelihoodResult(sum, row.path(k).length, greedy);
      }
    }
  }

  /** Context tokens as a map key. */
  private record ContextKey(int[] tokens) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ContextKey k && Arrays.equals(tokens, k.tokens);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(tokens);
    }

    @Override
    public String toString() {
      return "ContextKey[" + tokens.length + " tokens]";
    }
  }
}

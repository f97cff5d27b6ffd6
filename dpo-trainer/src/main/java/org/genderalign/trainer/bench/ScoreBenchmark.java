package org.genderalign.trainer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.score.LogLikelihoodScorer;
import org.genderalign.trainer.score.LoglikelihoodRequest;
import org.genderalign.trainer.score.LoglikelihoodResult;
import org.genderalign.trainer.score.ScorerConfig;
import org.genderalign.trainer.score.ScorerStats;
import org.genderalign.trainer.score.TokenRequest;

/**
 * Measures the {@link LogLikelihoodScorer}: its throughput against the same process's
 * forward-only throughput ({@link ModelBenchmark#forwardMs}, full logits), and the wall time of a
 * whole request workload (a benchmark's requests), cold: no cache.
 */
public final class ScoreBenchmark {

  private ScoreBenchmark() {}

  /**
   * Scoring throughput on random requests shaped like the forward batches.
   *
   * @param model a label
   * @param parameters parameter count
   * @param forwardTokensPerSecond forward-only tokens/s (median of {@code batch × seqLen} batches)
   * @param scoredTokensPerSecond request tokens (context + continuation) scored per second
   * @param requests requests scored per timed run
   * @param tokensPerRequest tokens of each request
   * @param scoreMs median time of one run over all requests
   */
  public record Throughput(String model, long parameters, double forwardTokensPerSecond,
      double scoredTokensPerSecond, int requests, int tokensPerRequest, double scoreMs) {

    /** Scored tokens/s over forward-only tokens/s (target ≥ 0.8 on the ~10M config). */
    public double ratio() {
      return scoredTokensPerSecond / forwardTokensPerSecond;
    }
  }

  /**
   * The wall time of one workload.
   *
   * @param requests requests scored
   * @param seconds wall time of tokenizing and scoring them all
   * @param cpuSeconds this process's CPU time meanwhile (all threads; a steadier figure than the
   *     wall time on a busy machine, if the operators do not spin)
   * @param stats what the scorer did (tokens run vs request tokens, forward passes)
   */
  public record Workload(int requests, double seconds, double cpuSeconds, ScorerStats stats) {

    public double requestsPerSecond() {
      return requests / seconds;
    }
  }

  /**
   * Forward-only vs scoring throughput in one process. The scoring workload is {@code requests}
   * random requests of {@code s.seqLen()} tokens — distinct contexts, so nothing is shared — whose
   * last {@code continuationTokens} are scored, in batches of {@code s.batch()} rows: the same
   * tokens per forward pass as the forward-only figure.
   *
   * @param threads the scorer's {@link ScorerConfig#threads()}
   */
  public static Throughput throughput(String label, LoadedModel model, ModelBenchmark.Settings s,
      int requests, int continuationTokens, int threads) {
    if (continuationTokens < 1 || continuationTokens >= s.seqLen() || requests < 1) {
      throw new IllegalArgumentException("need 1 <= continuation tokens < seqLen and requests >= 1");
    }
    double fwdMs = ModelBenchmark.forwardMs(model, s);
    int vocab = model.config().vocabSize();
    Random r = new Random(s.seed());
    List<TokenRequest> reqs = new ArrayList<>(requests);
    for (int i = 0; i < requests; i++) {
      int[] ctx = new int[s.seqLen() - continuationTokens];
      int[] cont = new int[continuationTokens];
      for (int j = 0; j < ctx.length; j++) {
        ctx[j] = r.nextInt(vocab);
      }
      for (int j = 0; j < cont.length; j++) {
        cont[j] = r.nextInt(vocab);
      }
      reqs.add(new TokenRequest(ctx, cont));
    }
    LogLikelihoodScorer scorer = new LogLikelihoodScorer(model,
        new ScorerConfig(s.batch(), null).withThreads(threads));
    double scoreMs = ModelBenchmark.median(s, () -> scorer.scoreTokens(reqs));
    double tokens = (double) requests * s.seqLen();
    return new Throughput(label, model.config().parameterCount(),
        s.batch() * (double) s.seqLen() / (fwdMs / 1000.0), tokens / (scoreMs / 1000.0), requests,
        s.seqLen(), scoreMs);
  }

  /** Times tokenizing and scoring {@code requests} once, without a cache. */
  public static Workload workload(LoadedModel model, List<LoglikelihoodRequest> requests,
      int batchSize, int threads, IntConsumer progress) {
    LogLikelihoodScorer scorer = new LogLikelihoodScorer(model,
        new ScorerConfig(batchSize, null).withThreads(threads));
    long c0 = processCpuNanos();
    long t0 = System.nanoTime();
    List<LoglikelihoodResult> out = scorer.score(requests, progress);
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpu = (processCpuNanos() - c0) / 1e9;
    if (out.size() != requests.size()) {
      throw new IllegalStateException("scored " + out.size() + " of " + requests.size());
    }
    return new Workload(requests.size(), seconds, cpu, scorer.stats());
  }

  /** CPU time of the whole process (every thread, native ones included), or -1 if unknown. */
  static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
  }
}

package org.genderalign.cli.bench;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.genderalign.cli.BadUsageException;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.bench.ModelBenchmark;
import org.genderalign.trainer.bench.ScoreBenchmark;
import org.genderalign.trainer.device.Devices;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.model.LlamaConfig;
import org.genderalign.trainer.score.LoglikelihoodRequest;
import org.genderalign.trainer.score.ScorerConfig;
import org.genderalign.trainer.score.ScorerStats;
import org.genderalign.trainer.tokenizer.Llama2cTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign bench score}: the log-likelihood scorer's throughput as a fraction of the
 * same process's forward-only throughput ({@code bench model}'s forward), and the wall time of
 * scoring the 68,064 BBQ gender-identity requests cold (no cache).
 */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = "Log-likelihood scorer: scored tokens/s vs this process's forward-only tokens/s, "
        + "and the BBQ-gender workload (68,064 requests) wall time, without cache.")
public final class BenchScoreCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", defaultValue = ModelLoader.STORIES_260K, paramLabel = "M",
      description = "stories260K (default) or " + BenchDpoCommand.SMALL_10M + " (the ~10M config, "
          + "random weights).")
  String model;

  @Option(names = "--batch-size", paramLabel = "B",
      defaultValue = "" + ScorerConfig.DEFAULT_BATCH_SIZE,
      description = "Rows per forward pass, for both figures (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--requests", paramLabel = "N", defaultValue = "256",
      description = "Random requests in the throughput comparison (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(names = "--seq-len", paramLabel = "T", defaultValue = "256",
      description = "Tokens per random request and per forward row (default: ${DEFAULT-VALUE}).")
  int seqLen;

  @Option(names = "--continuation-tokens", paramLabel = "K", defaultValue = "32",
      description = "Scored (last) tokens of each random request (default: ${DEFAULT-VALUE}).")
  int continuationTokens;

  @Option(names = "--iterations", paramLabel = "N", defaultValue = "3",
      description = "Timed runs of each throughput figure; the median is reported "
          + "(default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--bbq-items", paramLabel = "N", defaultValue = "-1",
      description = "Score only the first N BBQ items (x12 requests); 0 skips the workload "
          + "(default: all 5,672).")
  int bbqItems;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
      description = "Batches scored concurrently (ScorerConfig.threads); with more than one, run "
          + "with GENDERALIGN_JAVA_OPTS=-Dai.djl.pytorch.num_threads=1 (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--device", paramLabel = "D", defaultValue = Devices.DEFAULT_DEVICE,
      description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
  String device;

  @Override
  public Integer call() throws Exception {
    ModelBenchmark.Settings s;
    Device d;
    try {
      s = new ModelBenchmark.Settings(batchSize, seqLen, 1, iterations, 1);
      d = Devices.parse(device);
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
    if (threads < 1) {
      throw new BadUsageException("--threads must be at least 1");
    }
    if (requests < 1 || continuationTokens < 1 || continuationTokens >= seqLen) {
      throw new BadUsageException("need --requests >= 1 and 1 <= --continuation-tokens < --seq-len");
    }
    if (seqLen > LlamaConfig.stories260K().maxSeqLen()) {
      throw new BadUsageException("--seq-len must be at most 512 (the models' context)");
    }
    boolean small = BenchDpoCommand.SMALL_10M.equalsIgnoreCase(model);
    PrintWriter out = spec.commandLine().getOut();
    DataRoot root = GenderAlignCli.root(spec).dataRoot();
    List<LoglikelihoodRequest> bbq = bbqItems == 0 ? List.of()
        : BbqWorkload.requests(root.file("bbq-gender-identity"), bbqItems);
    try (LoadedModel m = small
        ? ModelLoader.random(LlamaConfig.small10M(),
            Llama2cTokenizer.load(root.file("tokenizer-stories260k")), d, DataType.FLOAT32, 1)
        : ModelLoader.load(model, root, d)) {
      out.printf("device %s, %s threads (intra-op), %d scorer threads, model %s (%d parameters), "
          + "batch %d%n", d, System.getProperty("ai.djl.pytorch.num_threads", "default"), threads,
          model, m.config().parameterCount(), batchSize);
      out.flush();
      ScoreBenchmark.Throughput t = ScoreBenchmark.throughput(model, m, s, requests,
          continuationTokens, threads);
      out.printf("forward_tokens_per_s=%.0f (full logits, %d x %d tokens, median of %d)%n",
          t.forwardTokensPerSecond(), batchSize, seqLen, iterations);
      out.printf("scored_tokens_per_s=%.0f (%d random requests x %d tokens, last %d scored, "
          + "distinct contexts, no cache, median of %d: %.1f ms)%n", t.scoredTokensPerSecond(),
          requests, seqLen, continuationTokens, iterations, t.scoreMs());
      out.printf("ratio=%.3f (scored / forward-only, same process; target >= 0.8 on small10M)%n",
          t.ratio());
      out.flush();
      if (!bbq.isEmpty()) {
        ScoreBenchmark.Workload w;
        try (ProgressBar bar = bar(bbq.size())) {
          w = ScoreBenchmark.workload(m, bbq, batchSize, threads, n -> {
            if (bar != null) {
              bar.stepBy(n);
            }
          });
        }
        ScorerStats st = w.stats();
        out.printf("bbq_gender requests=%d wall_s=%.1f cpu_s=%.1f requests_per_s=%.0f "
            + "tokens_run=%d request_tokens=%d forward_passes=%d run_tokens_per_s=%.0f (cold, "
            + "no cache; target <= 30 s on stories260K, 2 cores)%n", w.requests(), w.seconds(),
            w.cpuSeconds(), w.requestsPerSecond(), st.rowTokens(), st.requestTokens(),
            st.forwardPasses(), st.rowTokens() / w.seconds());
      }
    }
    out.flush();
    return 0;
  }

  private static ProgressBar bar(int n) {
    if (System.console() == null) {
      return null;
    }
    return new ProgressBarBuilder().setTaskName("bbq-gender").setInitialMax(n)
        .setUnit(" requests", 1).setUpdateIntervalMillis(500)
        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
  }
}

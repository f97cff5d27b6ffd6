package org.genderalign.cli.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.genderalign.cli.BadUsageException;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.bench.ModelBenchmark;
import org.genderalign.trainer.device.Devices;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.model.LlamaConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign bench model}: forward and forward + backward tokens/s of stories260K and of
 * a ~10M-parameter Llama (random weights, {@link LlamaConfig#small10M()}), and this process's
 * large-GEMM FLOP/s as a fraction of the machine's practical peak.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
    description = "Model throughput: forward and forward+backward tokens/s (stories260K and a "
        + "~10M config) and large-GEMM FLOP/s.")
public final class BenchModelCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--batch", paramLabel = "B", defaultValue = "8",
      description = "Sequences per batch (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--seq-len", paramLabel = "T", defaultValue = "256",
      description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
  int seqLen;

  @Option(names = "--iterations", paramLabel = "N", defaultValue = "5",
      description = "Timed iterations; the median is reported (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "2",
      description = "Untimed warm-up iterations (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--gemm-size", paramLabel = "N", defaultValue = "2048",
      description = "Size of the square GEMM (default: ${DEFAULT-VALUE}).")
  int gemmSize;

  @Option(names = "--peak-gflops", paramLabel = "G", defaultValue = "180",
      description = "The machine's practical fp32 peak, GFLOP/s (default: ${DEFAULT-VALUE}, the "
          + "2-core reference machine).")
  double peak;

  @Option(names = "--device", paramLabel = "D", defaultValue = Devices.DEFAULT_DEVICE,
      description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--skip-10m", description = "Only stories260K (faster).")
  boolean skip10m;

  @Override
  public Integer call() throws Exception {
    ModelBenchmark.Settings s;
    Device d;
    try {
      s = new ModelBenchmark.Settings(batch, seqLen, warmup, iterations, 1);
      d = Devices.parse(device);
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
    if (seqLen > LlamaConfig.stories260K().maxSeqLen()) {
      throw new BadUsageException("--seq-len must be at most 512 (stories260K's context)");
    }
    PrintWriter out = spec.commandLine().getOut();
    DataRoot root = GenderAlignCli.root(spec).dataRoot();
    out.printf("device %s, %s threads (intra-op), batch %d x %d tokens, median of %d%n", d,
        System.getProperty("ai.djl.pytorch.num_threads", "default"), batch, seqLen, iterations);
    out.printf("%-22s %12s %16s %22s%n", "model", "parameters", "forward tok/s",
        "forward+backward tok/s");
    out.flush();
    try (LoadedModel m = ModelLoader.load(ModelLoader.STORIES_260K, root, d)) {
      print(out, ModelBenchmark.run("stories260K", m, s));
      if (!skip10m) {
        try (LoadedModel big = ModelLoader.random(LlamaConfig.small10M(), m.tokenizer(), d,
            DataType.FLOAT32, 1)) {
          print(out, ModelBenchmark.run("small10M (random)", big, s));
        }
      }
      ModelBenchmark.GemmResult g = ModelBenchmark.gemm(m.manager(), gemmSize, s);
      out.printf("GEMM %dx%d fp32: %.1f ms, %.1f GFLOP/s = %.0f%% of %.0f GFLOP/s peak (engine "
          + "%s)%n", g.n(), g.n(), g.ms(), g.gflops(), 100 * g.gflops() / peak, peak,
          Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
    }
    out.flush();
    return 0;
  }

  private static void print(PrintWriter out, ModelBenchmark.ModelResult r) {
    out.printf("%-22s %12d %16.0f %22.0f   (%.1f / %.1f ms per batch)%n", r.model(),
        r.parameters(), r.forwardTokensPerSecond(), r.forwardBackwardTokensPerSecond(),
        r.forwardMs(), r.forwardBackwardMs());
    out.flush();
  }
}

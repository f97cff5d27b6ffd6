package org.genderalign.cli.bench;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.genderalign.cli.BadUsageException;
import org.genderalign.cli.GenderAlignCli;
import ai.djl.Device;
import org.genderalign.trainer.bench.GenerationBenchmark;
import org.genderalign.trainer.device.Devices;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign bench generate}: new tokens/s and ms per decoding step of the generator,
 * against the pre-issue-11 generator measured in the same process on the same prompts
 * (target on stories260K, batch 32 × 128 new tokens: at least 3× faster).
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generation speed: new tokens/s and ms per step, the current generator vs the "
        + "legacy one (full logits to the host, concatenated KV cache), in one process.")
public final class BenchGenerateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", defaultValue = ModelLoader.STORIES_260K, paramLabel = "M",
      description = "Model: a short name or a path, as --model of generate (default: "
          + "${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--device", paramLabel = "D", defaultValue = Devices.DEFAULT_DEVICE,
      description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--batch-size", defaultValue = "32", paramLabel = "B",
      description = "Prompts per batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--new-tokens", defaultValue = "128", paramLabel = "N",
      description = "New tokens per prompt (default: ${DEFAULT-VALUE}).")
  int newTokens;

  @Option(names = "--iterations", defaultValue = "3", paramLabel = "N",
      description = "Timed runs of each generator, median reported (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Override
  public Integer call() throws Exception {
    GenerationBenchmark.Settings s;
    Device d;
    try {
      s = new GenerationBenchmark.Settings(batchSize, newTokens, iterations);
      d = Devices.parse(device);
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    try (LoadedModel m = ModelLoader.load(model, GenderAlignCli.root(spec).dataRoot(), d)) {
      out.printf("%s on %s, %s threads, batch %d x %d new tokens (greedy), median of %d%n",
          m.source().location(), m.device(),
          System.getProperty("ai.djl.pytorch.num_threads", "default"), batchSize, newTokens,
          iterations);
      out.flush();
      GenerationBenchmark.Result r = GenerationBenchmark.run(m, s);
      for (GenerationBenchmark.Timing t : new GenerationBenchmark.Timing[] {r.legacy(),
          r.current()}) {
        out.printf("%-7s %10.0f new tokens/s %9.2f ms/step %9.2f s/batch %9.2f ms/step thread "
            + "CPU%n", t.name(), t.tokensPerSecond(), t.msPerStep(), t.seconds(),
            t.cpuMsPerStep());
      }
      out.printf("speed-up %.2fx (thread CPU %.2fx); same tokens: %s%n", r.speedup(),
          r.cpuSpeedup(), r.identical() ? "yes" : "NO");
    }
    out.flush();
    return 0;
  }
}

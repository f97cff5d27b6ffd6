package org.genderalign.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.sft.SftMemoryBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code genderalign bench sft-memory}: resident memory over a long SFT run (target: flat within ±5%). */
@Command(name = "sft-memory", mixinStandardHelpOptions = true,
    description = "Resident memory over N SFT steps (default 1000): samples and the largest deviation after warm-up.")
public final class BenchSftMemoryCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", defaultValue = ModelLoader.STORIES_260K, paramLabel = "M", description = "Model (default stories260K).")
  String model;

  @Option(names = "--steps", defaultValue = "1000", paramLabel = "N", description = "Steps (default 1000).")
  int steps;

  @Option(names = "--batch-size", defaultValue = "4", paramLabel = "B", description = "Examples per step (default 4).")
  int batchSize;

  @Option(names = "--seq-len", defaultValue = "128", paramLabel = "T", description = "Tokens per example (default 128).")
  int seqLen;

  @Override
  public Integer call() throws Exception {
    DataRoot root = GenderAlignCli.root(spec).dataRoot();
    PrintWriter out = spec.commandLine().getOut();
    int warm = Math.min(100, Math.max(1, steps / 10));
    SftMemoryBenchmark.Report r = SftMemoryBenchmark.run(() -> ModelLoader.load(model, root, ai.djl.Device.cpu()),
        steps, batchSize, seqLen, Math.max(1, steps / 20), warm, Files.createTempDirectory("bench-sft"));
    for (long[] s : r.samples()) {
      out.printf("step=%d rss_mb=%.1f%n", s[0], s[1] / 1048576.0);
    }
    out.printf("steps=%d step_s=%.4f baseline_rss_mb=%.1f (step %d) max_deviation=%.2f%%%n", steps, r.secondsPerStep(),
        r.baselineBytes() / 1048576.0, warm, 100 * r.maxDeviation());
    out.flush();
    return 0;
  }
}

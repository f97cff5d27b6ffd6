package org.genderalign.cli.bench;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.dpo.DpoBenchmark;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.training.DeviceSpec;
import org.genderalign.trainer.dpo.DpoTrainer;
import org.genderalign.trainer.model.LlamaConfig;
import org.genderalign.trainer.tokenizer.Llama2cTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign bench dpo}: DPO training-step speed and memory, live vs precomputed
 * reference. Thread count: {@code -Dai.djl.pytorch.num_threads} (GENDERALIGN_JAVA_OPTS).
 */
@Command(name = "dpo", mixinStandardHelpOptions = true,
    description = "Measure the DPO training step: tokens/s, step time, peak RSS, fraction of this process's GEMM "
        + "FLOP/s; live vs precomputed reference.")
public final class BenchDpoCommand implements Callable<Integer> {

  /** The name that selects {@link LlamaConfig#small10M()} with random weights. */
  static final String SMALL_10M = "small10M";

  @Spec CommandSpec spec;

  @Option(names = "--model", defaultValue = ModelLoader.STORIES_260K, paramLabel = "M",
      description = "Model (default stories260K), or " + SMALL_10M + " for the ~10M-parameter config with random "
          + "weights (LlamaConfig.small10M: dim 384, 6 layers).")
  String model;

  @Option(names = "--batch-size", defaultValue = "8", paramLabel = "B", description = "Pairs per step (default 8).")
  int batchSize;

  @Option(names = "--seq-len", defaultValue = "256", paramLabel = "T", description = "Tokens per row (default 256).")
  int seqLen;

  @Option(names = "--steps", defaultValue = "10", paramLabel = "N", description = "Timed steps per mode (default 10).")
  int steps;

  @Option(names = "--devices", defaultValue = "cpu", paramLabel = "D",
      description = "cpu, gpu0[,gpu1…] or all (default cpu); several GPUs train data parallel, as train dpo does.")
  String devices;

  @Override
  public Integer call() throws Exception {
    DataRoot root = GenderAlignCli.root(spec).dataRoot();
    PrintWriter out = spec.commandLine().getOut();
    if (batchSize < 1 || seqLen < 8 || steps < 1) {
      throw new org.genderalign.cli.BadUsageException("need --batch-size >= 1, --seq-len >= 8, --steps >= 1");
    }
    List<Device> deviceList = DeviceSpec.parse(devices); // a bad list is an IllegalArgumentException: exit 2
    Device device = deviceList.get(0);
    Path work = Files.createTempDirectory("bench-dpo");
    DpoTrainer.ModelSupplier models = SMALL_10M.equalsIgnoreCase(model)
        ? () -> ModelLoader.random(LlamaConfig.small10M(),
            Llama2cTokenizer.load(root.file("tokenizer-stories260k")), device, DataType.FLOAT32, 1)
        : () -> ModelLoader.load(model, root, device);
    DpoBenchmark.Report r = DpoBenchmark.run(models, deviceList, batchSize, seqLen, steps, work);
    out.printf("model=%s params=%d batch=%d pairs seq_len=%d steps=%d devices=%s threads=%s gemm_gflops=%.1f%n",
        model, r.parameters(), r.batchSize(), r.seqLen(), r.steps(), devices,
        System.getProperty("ai.djl.pytorch.num_threads", "default"), r.gemmGflops());
    for (DpoBenchmark.Result x : r.results()) {
      out.printf("reference=%s tokens_per_s=%.0f step_s=%.4f model_gflops=%.2f gemm_fraction=%.3f peak_rss_mb=%.0f%n",
          x.mode(), x.tokensPerSecond(), x.medianStepSeconds(), x.modelGflops(), x.gemmFraction(),
          x.peakRssBytes() / 1048576.0);
    }
    out.printf("precomputed_speedup=%.2f%n", r.precomputedSpeedup());
    out.flush();
    return 0;
  }
}

package org.genderalign.trainer.dpo;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.checkpoint.CheckpointManager;
import org.genderalign.trainer.data.EncodedPair;
import org.genderalign.trainer.dpo.loss.PreferenceLossConfig;
import org.genderalign.trainer.dpo.loss.PreferenceLosses;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.model.LlamaConfig;
import org.genderalign.trainer.optim.AdamWConfig;
import org.genderalign.trainer.score.LogLikelihoodScorer;
import org.genderalign.trainer.score.ScorerConfig;
import org.genderalign.trainer.training.PolicyModel;
import org.genderalign.trainer.training.ProcessMemory;
import org.genderalign.trainer.training.StepListener;
import org.genderalign.trainer.training.TrainingConfig;
import org.genderalign.trainer.training.TrainingLoop;

/**
 * Measures the DPO training step (full fine-tuning, B pairs × T tokens per row, synthetic token
 * ids) with a live frozen reference and with precomputed reference log-probs, through the same
 * {@link TrainingLoop} users run. Reports tokens/s (2·B·T per step), median step time, peak
 * resident memory, and the achieved model FLOP/s as a fraction of this process's own
 * 1024³ GEMM FLOP/s.
 */
public final class DpoBenchmark {

  private DpoBenchmark() {}

  /** One mode's figures. */
  public record Result(String mode, double medianStepSeconds, double tokensPerSecond, double modelGflops,
      double gemmFraction, long peakRssBytes) {}

  /** All figures. */
  public record Report(List<Result> results, double gemmGflops, int batchSize, int seqLen, int steps,
      long parameters) {
    /** live median step time / precomputed median step time. */
    public double precomputedSpeedup() {
      return results.get(0).medianStepSeconds() / results.get(1).medianStepSeconds();
    }
  }

  /**
   * @param models loads the model onto the first device (three times: policy + reference copy for live,
   *     policy for precomputed)
   * @param devices where to train: one device, or several for data parallel (reported FLOP/s are
   *     the whole step's, against the first device's GEMM)
   * @param batchSize pairs per step
   * @param seqLen tokens per row
   * @param steps timed steps (after 2 warm-up steps)
   * @param work scratch folder
   */
  public static Report run(DpoTrainer.ModelSupplier models, List<Device> devices, int batchSize, int seqLen,
      int steps, Path work) throws IOException {
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("bench dpo needs at least one device");
    }
    double gemm = gemmGflops(devices.get(0));
    List<Result> results = new ArrayList<>();
    long params = 0;
    for (boolean precomputed : new boolean[] {false, true}) {
      try (LoadedModel model = models.load()) {
        LlamaConfig c = model.config();
        params = c.parameterCount();
        List<EncodedPair> pairs = syntheticPairs(batchSize * (steps + 2), seqLen, c.vocabSize(),
            model.tokenizer().bosId());
        PolicyModel policy = new PolicyModel(model.block(), model.tokenizer(), null);
        DpoCollator collator = new DpoCollator(policy.padId(), seqLen);
        LoadedModel refCopy = models.load();
        try {
          ReferenceModel ref = ReferenceModel.frozenCopy(refCopy.block());
          DpoTask task = new DpoTask(policy, ref, PreferenceLosses.create(PreferenceLossConfig.defaults()), collator,
              Provenance.of("bench dpo", null, 1L));
          if (precomputed) {
            task.usePrecomputed(DpoTask.precompute(new LogLikelihoodScorer(refCopy,
                ScorerConfig.defaults().withBatchSize(batchSize)), pairs, false));
            refCopy.close();
            refCopy = null;
          }
          TrainingConfig tc = new TrainingConfig(steps + 2, 0, batchSize, 1, AdamWConfig.of(1e-5, 0), "constant", 0,
              1.0, 1, 1000, 0, 0, 1, false);
          List<Long> stamps = new ArrayList<>();
          Path out = work.resolve(precomputed ? "precomputed" : "live");
          TrainingLoop<EncodedPair> loop = new TrainingLoop<>(task, tc, model.manager(), out,
              Provenance.of("bench dpo", null, 1L)).devices(devices).listener(new StepListener() {
                @Override
                public void beforeUpdate(long step, Map<String, Parameter> p) {
                  stamps.add(System.nanoTime());
                }
              });
          loop.run(pairs, List.of(), "bench", false);
          double[] dts = new double[stamps.size() - 2];
          for (int i = 2; i < stamps.size(); i++) {
            dts[i - 2] = (stamps.get(i) - stamps.get(i - 1)) / 1e9;
          }
          Arrays.sort(dts);
          double median = dts[dts.length / 2];
          double tokens = 2.0 * batchSize * seqLen;
          double fwdFlopsPerToken = 2.0 * matmulParams(c) + 4.0 * c.nLayers() * seqLen * c.dim();
          double flops = tokens * fwdFlopsPerToken * (precomputed ? 3 : 4); // fwd+bwd = 3×, live ref +1×
          double gflops = flops / median / 1e9;
          results.add(new Result(precomputed ? "precomputed" : "live", median, tokens / median, gflops,
              gflops / gemm, ProcessMemory.peakResidentBytes()));
          CheckpointManager.deleteTree(out);
        } finally {
          if (refCopy != null) {
            refCopy.close();
          }
        }
      }
    }
    return new Report(results, gemm, batchSize, seqLen, steps, params);
  }

  /** Weights used in matmuls per token: every projection plus the output head. */
  static double matmulParams(LlamaConfig c) {
    double perLayer = 2.0 * c.dim() * c.dim() + 2.0 * c.kvDim() * c.dim() + 3.0 * c.hiddenDim() * c.dim();
    return c.nLayers() * perLayer + (double) c.vocabSize() * c.dim();
  }

  /** GFLOP/s of a 1024³ float32 matmul in this process on {@code device} (best of 5). */
  public static double gemmGflops(Device device) {
    try (NDManager m = NDManager.newBaseManager(device)) {
      NDArray a = m.randomUniform(-1, 1, new Shape(1024, 1024), DataType.FLOAT32);
      NDArray b = m.randomUniform(-1, 1, new Shape(1024, 1024), DataType.FLOAT32);
      double best = Double.MAX_VALUE;
      for (int i = 0; i < 6; i++) {
        try (NDManager s = m.newSubManager()) {
          long t0 = System.nanoTime();
          NDArray c = a.matMul(b);
          c.attach(s);
          c.getFloat(0, 0);
          double dt = (System.nanoTime() - t0) / 1e9;
          if (i > 0) {
            best = Math.min(best, dt);
          }
        }
      }
      return 2.0 * 1024 * 1024 * 1024 / best / 1e9;
    }
  }

  /** Pairs of random ids: prompt T/4 (BOS first), completions filling the row to T. */
  static List<EncodedPair> syntheticPairs(int n, int seqLen, int vocab, int bos) {
    SplittableRandom r = new SplittableRandom(7);
    List<EncodedPair> out = new ArrayList<>(n);
    int p = Math.max(1, seqLen / 4);
    for (int i = 0; i < n; i++) {
      int[] prompt = r.ints(p, 3, vocab).toArray();
      if (bos >= 0) {
        prompt[0] = bos;
      }
      out.add(new EncodedPair("b" + i, prompt, r.ints(seqLen - p, 3, vocab).toArray(),
          r.ints(seqLen - p, 3, vocab).toArray(), false));
    }
    return out;
  }
}

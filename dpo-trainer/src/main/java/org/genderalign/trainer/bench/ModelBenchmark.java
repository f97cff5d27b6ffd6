package org.genderalign.trainer.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.model.LlamaModel;
import org.genderalign.trainer.training.SequenceLogProbs;

/**
 * Measures a model's throughput — forward (no gradients) and forward + backward tokens per
 * second on random token batches — and the same process's large-GEMM FLOP/s, so that model
 * figures can be read against what the machine can do. Medians of timed iterations after
 * warm-up; every iteration in its own sub-manager.
 */
public final class ModelBenchmark {

  /** Practical fp32 peak of the 2-core reference machine (djl-notes.md), GFLOP/s. */
  public static final double DEFAULT_PEAK_GFLOPS = 180.0;

  private ModelBenchmark() {}

  /**
   * Benchmark settings.
   *
   * @param batch sequences per batch
   * @param seqLen tokens per sequence
   * @param warmup untimed iterations
   * @param iterations timed iterations (the median is reported)
   * @param seed seed of the random tokens
   */
  public record Settings(int batch, int seqLen, int warmup, int iterations, long seed) {
    public Settings {
      if (batch < 1 || seqLen < 2 || warmup < 0 || iterations < 1) {
        throw new IllegalArgumentException("batch >= 1, seqLen >= 2, warmup >= 0, "
            + "iterations >= 1 required");
      }
    }
  }

  /**
   * One model's figures.
   *
   * @param model a label
   * @param parameters parameter count
   * @param tokensPerBatch batch × seqLen
   * @param forwardMs median forward time
   * @param forwardBackwardMs median forward + backward time
   */
  public record ModelResult(String model, long parameters, long tokensPerBatch, double forwardMs,
      double forwardBackwardMs) {

    public double forwardTokensPerSecond() {
      return tokensPerBatch / (forwardMs / 1000.0);
    }

    public double forwardBackwardTokensPerSecond() {
      return tokensPerBatch / (forwardBackwardMs / 1000.0);
    }
  }

  /**
   * A GEMM measurement.
   *
   * @param n matrix size ({@code n × n} by {@code n × n})
   * @param ms median time
   * @param gflops achieved GFLOP/s ({@code 2n³} per product)
   */
  public record GemmResult(int n, double ms, double gflops) {}

  /** Times forward and forward+backward of {@code model} on random tokens. */
  public static ModelResult run(String label, LoadedModel model, Settings s) {
    LlamaModel block = model.block();
    int[] tokens = randomTokens(block.config().vocabSize(), s);
    double fwd = forwardMs(model, s);
    double fwdBwd = median(s, () -> {
      try (NDManager step = model.manager().newSubManager()) {
        NDArray ids = step.create(tokens, new Shape(s.batch(), s.seqLen()));
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray logits = block.forward(new ParameterStore(step, false), new NDList(ids), true,
              null, false).singletonOrThrow();
          // next-token cross-entropy over every position, the loss shape of SFT/DPO
          NDArray lp = SequenceLogProbs.sum(logits, ids, step.ones(ids.getShape())); // (B)
          gc.backward(lp.mean().neg());
        }
        block.tokEmbeddings().getArray().getGradient().get(0, 0).getFloat();
      }
      for (Parameter p : block.getParameters().values()) {
        // the collector does not zero gradients (djl-notes trap 4)
        p.getArray().getGradient().subi(p.getArray().getGradient());
      }
    });
    return new ModelResult(label, block.config().parameterCount(),
        (long) s.batch() * s.seqLen(), fwd, fwdBwd);
  }

  /**
   * Median time of one no-gradient forward pass (full logits) over a random {@code batch ×
   * seqLen} batch: the "forward-only" figure other benchmarks compare with.
   */
  public static double forwardMs(LoadedModel model, Settings s) {
    LlamaModel block = model.block();
    int[] tokens = randomTokens(block.config().vocabSize(), s);
    return median(s, () -> {
      try (NDManager step = model.manager().newSubManager()) {
        NDArray ids = step.create(tokens, new Shape(s.batch(), s.seqLen()));
        NDArray logits = block.forward(new ParameterStore(step, false), new NDList(ids), false,
            null, false).singletonOrThrow();
        logits.get(0, 0, 0).getFloat(); // wait for the result
      }
    });
  }

  private static int[] randomTokens(int vocab, Settings s) {
    Random r = new Random(s.seed());
    int[] tokens = new int[s.batch() * s.seqLen()];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = r.nextInt(vocab);
    }
    return tokens;
  }

  /** Times an {@code n × n} float32 matrix product on {@code manager}'s device. */
  public static GemmResult gemm(NDManager manager, int n, Settings s) {
    try (NDManager m = manager.newSubManager()) {
      NDArray a = m.randomUniform(-1f, 1f, new Shape(n, n));
      NDArray b = m.randomUniform(-1f, 1f, new Shape(n, n));
      double ms = median(s, () -> {
        try (NDManager step = m.newSubManager()) {
          NDArray c = a.matMul(b);
          c.attach(step);
          c.get(0, 0).getFloat();
        }
      });
      return new GemmResult(n, ms, 2.0 * n * n * (double) n / (ms / 1000.0) / 1e9);
    }
  }

  /** Median of {@code s.iterations()} timed runs after {@code s.warmup()} untimed ones, ms. */
  static double median(Settings s, Runnable body) {
    for (int i = 0; i < s.warmup(); i++) {
      body.run();
    }
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < s.iterations(); i++) {
      long t0 = System.nanoTime();
      body.run();
      times.add((System.nanoTime() - t0) / 1e6);
    }
    double[] t = times.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(t);
    return t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
  }
}

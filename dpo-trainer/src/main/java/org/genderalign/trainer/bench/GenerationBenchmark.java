package org.genderalign.trainer.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.genderalign.trainer.generate.Generation;
import org.genderalign.trainer.generate.GenerationConfig;
import org.genderalign.trainer.generate.Generator;
import org.genderalign.trainer.loader.LoadedModel;

/**
 * Generation speed of the {@link Generator} against the pre-issue-11 {@link LegacyGenerator},
 * measured in one process on the same prompts (so that the ratio holds on a busy machine):
 * greedy decoding of exactly {@code newTokens} tokens per prompt (EOS does not stop it), one
 * batch of {@code batchSize} prompts. Runs alternate (legacy, new, legacy, new, …) after one
 * warm-up run of each, and the median is reported. Both must produce the same tokens.
 *
 * <p>Besides wall time, the calling thread's CPU time is reported: with one intra-op thread
 * ({@code -Dai.djl.pytorch.num_threads=1}) PyTorch computes on the calling thread, so that
 * figure is nearly immune to other processes on a shared machine.
 */
public final class GenerationBenchmark {

  /** Story openings of different lengths (so that the batch is left-padded, as in real use). */
  static final List<String> PROMPTS = List.of("Once upon a time", "Tom had a red ball",
      "The sun was shining and the birds were singing", "Lily", "One day, a little dog",
      "There was a big tree in the park", "Sam and Sue", "It was a cold winter night and");

  private GenerationBenchmark() {}

  /**
   * The settings.
   *
   * @param batchSize prompts in the batch
   * @param newTokens tokens generated per prompt
   * @param iterations timed runs of each generator (median reported)
   */
  public record Settings(int batchSize, int newTokens, int iterations) {
    public Settings {
      if (batchSize < 1 || newTokens < 1 || iterations < 1) {
        throw new IllegalArgumentException("batch size, new tokens and iterations must be >= 1");
      }
    }
  }

  /**
   * One generator's figures.
   *
   * @param name {@code legacy} or {@code new}
   * @param seconds median wall time of one batch
   * @param cpuSeconds median CPU time of the calling thread for one batch
   * @param tokens new tokens per batch (batch × new tokens)
   * @param steps decoding steps per batch (new tokens)
   */
  public record Timing(String name, double seconds, double cpuSeconds, long tokens, int steps) {
    public double tokensPerSecond() {
      return tokens / seconds;
    }

    public double msPerStep() {
      return 1000 * seconds / steps;
    }

    public double cpuMsPerStep() {
      return 1000 * cpuSeconds / steps;
    }
  }

  /**
   * Both timings and whether their tokens agreed.
   *
   * @param legacy the old generator
   * @param current the new generator
   * @param identical whether both produced the same tokens for every prompt
   */
  public record Result(Timing legacy, Timing current, boolean identical) {
    /** How many times faster the new generator is (wall time). */
    public double speedup() {
      return legacy.seconds() / current.seconds();
    }

    /** How many times less CPU time of the calling thread the new generator takes. */
    public double cpuSpeedup() {
      return legacy.cpuSeconds() / current.cpuSeconds();
    }
  }

  /** Runs the comparison on {@code model}. */
  public static Result run(LoadedModel model, Settings s) {
    int steps = Math.min(s.newTokens(), model.config().maxSeqLen() - 16);
    GenerationConfig cfg = GenerationConfig.greedy(steps).toBuilder().stopAtEos(false)
        .batchSize(s.batchSize()).build();
    List<String> prompts = new ArrayList<>(s.batchSize());
    for (int i = 0; i < s.batchSize(); i++) {
      prompts.add(PROMPTS.get(i % PROMPTS.size()));
    }
    LegacyGenerator legacy = new LegacyGenerator(model);
    Generator current = new Generator(model);
    List<Generation> a = legacy.generate(prompts, cfg);
    List<Generation> b = current.generate(prompts, cfg);
    boolean identical = true;
    for (int i = 0; i < a.size(); i++) {
      identical &= Arrays.equals(a.get(i).tokens(), b.get(i).tokens());
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] tl = new double[s.iterations()];
    double[] tn = new double[s.iterations()];
    double[] cl = new double[s.iterations()];
    double[] cn = new double[s.iterations()];
    for (int i = 0; i < s.iterations(); i++) {
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      legacy.generate(prompts, cfg);
      long c1 = threads.getCurrentThreadCpuTime();
      long t1 = System.nanoTime();
      current.generate(prompts, cfg);
      long c2 = threads.getCurrentThreadCpuTime();
      long t2 = System.nanoTime();
      tl[i] = (t1 - t0) / 1e9;
      tn[i] = (t2 - t1) / 1e9;
      cl[i] = (c1 - c0) / 1e9;
      cn[i] = (c2 - c1) / 1e9;
    }
    long tokens = (long) s.batchSize() * steps;
    return new Result(new Timing("legacy", median(tl), median(cl), tokens, steps),
        new Timing("new", median(tn), median(cn), tokens, steps), identical);
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }
}

package org.genderalign.trainer.sft;

import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.checkpoint.CheckpointManager;
import org.genderalign.trainer.dpo.DpoTrainer;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.optim.AdamWConfig;
import org.genderalign.trainer.training.PolicyModel;
import org.genderalign.trainer.training.ProcessMemory;
import org.genderalign.trainer.training.StepListener;
import org.genderalign.trainer.training.TrainingConfig;
import org.genderalign.trainer.training.TrainingLoop;

/**
 * Resident memory over a long SFT run (synthetic examples, the real loop): samples RSS every
 * {@code every} steps and reports the largest deviation from the sample taken after warm-up.
 * The target is flat within ±5% over 1,000 steps.
 */
public final class SftMemoryBenchmark {

  private SftMemoryBenchmark() {}

  /**
   * @param samples (step, RSS bytes) pairs
   * @param baselineBytes RSS at the warm-up step
   * @param maxDeviation largest |RSS − baseline| / baseline after warm-up
   * @param secondsPerStep mean step time
   */
  public record Report(List<long[]> samples, long baselineBytes, double maxDeviation, double secondsPerStep) {}

  public static Report run(DpoTrainer.ModelSupplier models, int steps, int batchSize, int seqLen, int every,
      int warmupSteps, Path work) throws IOException {
    List<long[]> samples = new ArrayList<>();
    long t0 = System.nanoTime();
    try (LoadedModel model = models.load()) {
      SplittableRandom r = new SplittableRandom(3);
      List<SftTokens> data = new ArrayList<>();
      int vocab = model.config().vocabSize();
      for (int i = 0; i < 64; i++) {
        data.add(new SftTokens("s" + i, r.ints(seqLen / 2, 3, vocab).toArray(), r.ints(seqLen / 2, 3, vocab).toArray()));
      }
      PolicyModel policy = new PolicyModel(model.block(), model.tokenizer(), null);
      TrainingConfig tc = new TrainingConfig(steps, 0, batchSize, 1, AdamWConfig.of(1e-4, 0.01), "cosine", 10, 1.0, 1,
          1000, 0, 0, 1, false);
      TrainingLoop<SftTokens> loop = new TrainingLoop<>(new SftTask(policy, Provenance.of("bench sft", null, 1L)), tc,
          model.manager(), work, Provenance.of("bench sft", null, 1L)).listener(new StepListener() {
            @Override
            public void beforeUpdate(long step, Map<String, Parameter> params) {
              if (step % every == 0 || step == warmupSteps) {
                samples.add(new long[] {step, ProcessMemory.residentBytes()});
              }
            }
          });
      loop.run(data, List.of(), "bench", false);
    } finally {
      CheckpointManager.deleteTree(work);
    }
    double perStep = (System.nanoTime() - t0) / 1e9 / steps;
    long base = samples.stream().filter(s -> s[0] == warmupSteps).findFirst().map(s -> s[1]).orElse(-1L);
    double dev = 0;
    for (long[] s : samples) {
      if (s[0] >= warmupSteps && base > 0) {
        dev = Math.max(dev, Math.abs(s[1] - base) / (double) base);
      }
    }
    return new Report(samples, base, dev, perStep);
  }
}

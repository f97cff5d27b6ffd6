package org.genderalign.trainer.dpo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.trainer.dpo.loss.PreferenceLossConfig;
import org.genderalign.trainer.lora.LoraConfig;
import org.genderalign.trainer.optim.AdamWConfig;
import org.genderalign.trainer.training.TrainingConfig;

/** Small synthetic preference data and run configs for DPO tests. */
public final class DpoFixtures {

  private DpoFixtures() {}

  static final String[] NAMES = {"Lily", "Tom", "Sue", "Ben", "Mia", "Max", "Ann", "Sam", "Zoe", "Tim"};

  /** n pairs: a kind ending is chosen, an unkind one rejected. */
  public static List<PreferencePair> pairs(int n) {
    List<PreferencePair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = NAMES[i % NAMES.length];
      out.add(PreferencePair.of("p" + i, "Once upon a time, " + name + " met a friend.",
          " They shared the toys and smiled.", " " + name + " took the toys and was mean."));
    }
    return out;
  }

  public static TrainingConfig training(long steps, long saveSteps) {
    return new TrainingConfig(steps, 0, 2, 2, AdamWConfig.of(5e-3, 0.0), "linear", 1, 1.0, 5, 1, 0,
        saveSteps, 3, false);
  }

  public static DpoRunConfig run(Path out, TrainingConfig training, LoraConfig lora, boolean precompute,
      Path cache, boolean resume) {
    return run(out, training, lora, precompute, cache, resume, PreferenceLossConfig.defaults());
  }

  public static DpoRunConfig run(Path out, TrainingConfig training, LoraConfig lora, boolean precompute,
      Path cache, boolean resume, PreferenceLossConfig loss) {
    return new DpoRunConfig(loss, training, lora, 64, "raw", precompute, cache, out, resume);
  }

  /** MPO with the stateful options on: TRL ≤ 0.28's running BCO baseline and LD-DPO weights. */
  public static PreferenceLossConfig statefulMixture() {
    return PreferenceLossConfig.mixture(List.of("sigmoid", "bco_pair", "sft"), List.of(0.8, 0.2, 1.0), 0.1)
        .withBcoRunningBaseline(true).withLdAlpha(0.5);
  }

  public static LoraConfig lora() {
    return new LoraConfig(4, 8, 0.1, LoraConfig.DEFAULT_TARGETS);
  }
}

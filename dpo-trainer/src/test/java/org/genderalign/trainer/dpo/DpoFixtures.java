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
    return new DpoRunConfig(PreferenceLossConfig.defaults(), training, lora, 64, "raw", precompute, cache, out,
        resume);
  }

  public static LoraConfig lora() {
    return new LoraConfig(4, 8, 0.1, LoraConfig.DEFAULT_TARGETS);
  }
}

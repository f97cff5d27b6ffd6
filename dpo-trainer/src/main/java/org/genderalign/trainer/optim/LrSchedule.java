package org.genderalign.trainer.optim;

import java.util.List;
import java.util.Locale;

/**
 * Learning-rate multipliers per optimizer step, exactly Hugging Face's
 * {@code get_{constant,linear,cosine}_schedule_with_warmup}: linear warmup from 0 over
 * {@code warmupSteps}, then constant, linear decay to 0, or half-cosine decay to 0 at
 * {@code totalSteps}. Step 0 is the first update (so with warmup its rate is 0, as in HF).
 */
public interface LrSchedule {

  /** The names accepted by {@link #of}. */
  List<String> NAMES = List.of("constant", "linear", "cosine");

  /** Multiplier of the peak learning rate for the update with 0-based index {@code step}. */
  double factor(long step);

  /** The schedule {@code name} (constant, linear, cosine). */
  static LrSchedule of(String name, long warmupSteps, long totalSteps) {
    if (warmupSteps < 0 || totalSteps < 0) {
      throw new IllegalArgumentException("warmup and total steps must be >= 0");
    }
    String n = name.toLowerCase(Locale.ROOT);
    switch (n) {
      case "constant":
        return s -> s < warmupSteps ? (double) s / Math.max(1, warmupSteps) : 1.0;
      case "linear":
        return s -> s < warmupSteps ? (double) s / Math.max(1, warmupSteps)
            : Math.max(0.0, (double) (totalSteps - s) / Math.max(1, totalSteps - warmupSteps));
      case "cosine":
        return s -> {
          if (s < warmupSteps) {
            return (double) s / Math.max(1, warmupSteps);
          }
          double progress = (double) (s - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
          return Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * 0.5 * 2.0 * progress)));
        };
      default:
        throw new IllegalArgumentException("unknown lr scheduler '" + name + "'; expected one of " + NAMES);
    }
  }
}

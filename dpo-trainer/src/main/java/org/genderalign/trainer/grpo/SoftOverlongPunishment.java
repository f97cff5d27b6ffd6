package org.genderalign.trainer.grpo;

import java.util.List;

/**
 * The length penalty of GRPO runs: TRL's {@code get_soft_overlong_punishment} (DAPO's soft overlong
 * punishment), on completion token counts L: 0 while L ≤ max − cache, then falling linearly,
 * {@code (max − cache − L) / cache}, to −1 at L = max, and −1 beyond.
 */
public final class SoftOverlongPunishment implements org.genderalign.trainer.reward.RewardFunction {

  /** TRL's function name, as its metrics key it. */
  public static final String NAME = "soft_overlong_punishment_reward";

  private final int maxCompletionLength;
  private final int cache;

  /**
   * @param maxCompletionLength L_max (normally the run's max new tokens)
   * @param cache the soft zone's width, 1 ≤ cache ≤ L_max
   */
  public SoftOverlongPunishment(int maxCompletionLength, int cache) {
    if (maxCompletionLength < 1 || cache < 1 || cache > maxCompletionLength) {
      throw new IllegalArgumentException("need 1 <= cache <= max completion length, got cache " + cache
          + " and max " + maxCompletionLength);
    }
    this.maxCompletionLength = maxCompletionLength;
    this.cache = cache;
  }

  /** The default soft zone: the last quarter of {@code maxCompletionLength} (at least one token). */
  public static SoftOverlongPunishment of(int maxCompletionLength) {
    return new SoftOverlongPunishment(maxCompletionLength, Math.max(1, maxCompletionLength / 4));
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The penalty of one completion of {@code length} tokens. */
  public float penalty(int length) {
    if (length <= maxCompletionLength - cache) {
      return 0f;
    }
    if (length <= maxCompletionLength) {
      return (float) ((double) (maxCompletionLength - cache - length) / cache);
    }
    return -1f;
  }

  @Override
  public float[] rewards(List<String> prompts, List<String> completions) {
    throw new UnsupportedOperationException(NAME + " counts tokens: call rewards(prompts, completions, ids)");
  }

  @Override
  public float[] rewards(List<String> prompts, List<String> completions, List<int[]> completionIds) {
    float[] out = new float[completionIds.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = penalty(completionIds.get(i).length);
    }
    return out;
  }
}

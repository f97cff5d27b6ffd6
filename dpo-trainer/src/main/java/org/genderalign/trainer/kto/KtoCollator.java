package org.genderalign.trainer.kto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.genderalign.trainer.training.CompletionBatch;

/**
 * Lays out a batch of unpaired examples as TRL's {@code DataCollatorForUnpairedPreference} does:
 * one row per example (prompt + completion, right-padded, completion masked in), and — for the KL
 * baseline — one row per example pairing its prompt with the <em>previous</em> example's
 * completion, the completions rotated by one within the batch:
 * (x₁, y_B), (x₂, y₁), …, (x_B, y_{B−1}). (TRL rotates within each block of
 * {@code per_device_train_batch_size} examples at preprocessing time and then samples
 * sequentially, which makes the blocks its batches; here the rotation is applied to the batch as
 * drawn, so the mismatched completions are always the batch's own, as the KTO paper asks.) KL rows
 * are truncated to {@code maxLength} keeping their start.
 */
public final class KtoCollator {

  private final int padId;
  private final int maxLength;

  /**
   * @param padId id used for padding (never scored)
   * @param maxLength maximum row length in tokens, or 0 for no limit
   */
  public KtoCollator(int padId, int maxLength) {
    if (maxLength < 0) {
      throw new IllegalArgumentException("maxLength must be >= 0, got " + maxLength);
    }
    this.padId = padId;
    this.maxLength = maxLength;
  }

  /** One row per example. Examples must be truncated already ({@link KtoEncoder}). */
  public CompletionBatch collate(List<KtoExample> examples) {
    Rows r = new Rows(examples.size());
    r.addMain(examples);
    return r.batch();
  }

  /** The KL rows: example i's prompt with example (i − 1 mod B)'s completion, truncated. */
  public CompletionBatch collateKl(List<KtoExample> examples) {
    Rows r = new Rows(examples.size());
    r.addKl(examples);
    return r.batch();
  }

  /** Main rows (0..B−1) then KL rows (B..2B−1), in one batch: one reference pass scores both. */
  public CompletionBatch collateWithKl(List<KtoExample> examples) {
    Rows r = new Rows(2 * examples.size());
    r.addMain(examples);
    r.addKl(examples);
    return r.batch();
  }

  private final class Rows {
    final List<int[]> prompts;
    final List<int[]> completions;

    Rows(int n) {
      prompts = new ArrayList<>(n);
      completions = new ArrayList<>(n);
    }

    void addMain(List<KtoExample> examples) {
      for (KtoExample e : examples) {
        prompts.add(e.prompt());
        completions.add(e.completion());
      }
    }

    void addKl(List<KtoExample> examples) {
      int b = examples.size();
      for (int i = 0; i < b; i++) {
        int[] p = examples.get(i).prompt();
        int[] c = examples.get((i - 1 + b) % b).completion();
        if (maxLength > 0 && p.length + c.length > maxLength) {
          c = Arrays.copyOf(c, Math.max(0, maxLength - p.length));
        }
        prompts.add(p);
        completions.add(c);
      }
    }

    CompletionBatch batch() {
      return CompletionBatch.of(prompts, completions, padId);
    }
  }
}

package org.genderalign.trainer.dpo;

import org.genderalign.trainer.data.EncodedPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.genderalign.trainer.training.CompletionBatch;

/**
 * Lays a batch of B pairs out as 2B rows, chosen rows first then rejected rows (TRL's layout:
 * one forward pass scores both), right-padded, with completion masks. Truncation keeps the start
 * of prompt and completion up to {@code maxLength}; a pair whose prompt alone fills
 * {@code maxLength} cannot be trained on (an empty completion mask gives NaN in IPO) and is
 * dropped by {@link #truncate}, which counts it. ({@link org.genderalign.trainer.data.PairEncoder}
 * already truncates to its own maxLength; {@link #truncate} enforces the collator's, which may be
 * shorter, e.g. in benchmarks.)
 */
public final class DpoCollator {

  private final int padId;
  private final int maxLength;
  private final Double ldAlpha;

  /**
   * @param padId id used for padding (never scored)
   * @param maxLength maximum row length in tokens, or 0 for no limit
   */
  public DpoCollator(int padId, int maxLength) {
    this(padId, maxLength, null);
  }

  /**
   * @param padId id used for padding (never scored)
   * @param maxLength maximum row length in tokens, or 0 for no limit
   * @param ldAlpha LD-DPO's α in [0, 1], or null: batches then carry token weights (see
   *     {@link #ldWeights})
   */
  public DpoCollator(int padId, int maxLength, Double ldAlpha) {
    if (maxLength < 0) {
      throw new IllegalArgumentException("maxLength must be >= 0, got " + maxLength);
    }
    if (ldAlpha != null && !(ldAlpha >= 0 && ldAlpha <= 1)) {
      throw new IllegalArgumentException("ld_alpha must be in [0, 1], got " + ldAlpha);
    }
    this.padId = padId;
    this.maxLength = maxLength;
    this.ldAlpha = ldAlpha;
  }

  /** LD-DPO's α, or null. */
  public Double ldAlpha() {
    return ldAlpha;
  }

  public int maxLength() {
    return maxLength;
  }

  /** The pairs that fit, truncated, and the ids of those dropped because the prompt fills maxLength. */
  public record Truncated(List<EncodedPair> kept, List<String> droppedIds) {}

  /** Truncates every pair to {@code maxLength}, dropping (and listing) those that cannot fit. */
  public Truncated truncate(List<EncodedPair> pairs) {
    List<EncodedPair> kept = new ArrayList<>(pairs.size());
    List<String> dropped = new ArrayList<>();
    for (EncodedPair p : pairs) {
      if (maxLength == 0) {
        kept.add(p);
      } else if (p.prompt().length >= maxLength) {
        dropped.add(p.id());
      } else {
        int room = maxLength - p.prompt().length;
        int[] c = head(p.chosen(), room);
        int[] r = head(p.rejected(), room);
        boolean cut = p.truncated() || c.length < p.chosen().length || r.length < p.rejected().length;
        kept.add(new EncodedPair(p.id(), p.prompt(), c, r, cut));
      }
    }
    return new Truncated(kept, dropped);
  }

  /** Rows: chosen of pair 0..B-1, then rejected of pair 0..B-1. Pairs must be truncated already. */
  public CompletionBatch collate(List<EncodedPair> pairs) {
    List<int[]> prefixes = new ArrayList<>(2 * pairs.size());
    List<int[]> completions = new ArrayList<>(2 * pairs.size());
    for (EncodedPair p : pairs) {
      prefixes.add(p.prompt());
      completions.add(p.chosen());
    }
    for (EncodedPair p : pairs) {
      prefixes.add(p.prompt());
      completions.add(p.rejected());
    }
    if (maxLength > 0) {
      for (int i = 0; i < prefixes.size(); i++) {
        if (prefixes.get(i).length + completions.get(i).length > maxLength) {
          throw new IllegalArgumentException("pair " + pairs.get(i % pairs.size()).id()
              + " is longer than maxLength " + maxLength + "; call truncate() first");
        }
      }
    }
    CompletionBatch batch = CompletionBatch.of(prefixes, completions, padId);
    return ldAlpha == null ? batch : batch.withTokenWeights(ldWeights(batch, pairs.size(), ldAlpha.floatValue()));
  }

  /**
   * LD-DPO's token weights (Liu et al. 2024, "Length Desensitization in Direct Preference
   * Optimization", arXiv:2409.06411; TRL v1.9.0 {@code ld_alpha}): within pair i, the first
   * l_p = min(nc, nr) scored completion tokens of both answers weigh 1 and the longer answer's
   * remaining tokens weigh α, so its summed log-prob becomes shared + α·tail. Counts are of scored
   * tokens (mask[:, 1:]), as TRL counts them. Rows are laid out as {@link #collate} lays them.
   */
  static float[] ldWeights(CompletionBatch batch, int pairs, float alpha) {
    int t = batch.length();
    int[] mask = batch.completionMask();
    int[] counts = batch.completionTokens();
    float[] w = new float[mask.length];
    for (int r = 0; r < batch.rows(); r++) {
      int i = r % pairs;
      int shared = Math.min(counts[i], counts[pairs + i]);
      int k = 0;
      for (int pos = 1; pos < t; pos++) {
        if (mask[r * t + pos] == 1) {
          k++;
          w[r * t + pos] = k <= shared ? 1f : alpha;
        }
      }
    }
    return w;
  }

  private static int[] head(int[] a, int n) {
    return a.length <= n ? a : Arrays.copyOf(a, n);
  }
}

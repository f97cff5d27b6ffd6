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

  /**
   * @param padId id used for padding (never scored)
   * @param maxLength maximum row length in tokens, or 0 for no limit
   */
  public DpoCollator(int padId, int maxLength) {
    if (maxLength < 0) {
      throw new IllegalArgumentException("maxLength must be >= 0, got " + maxLength);
    }
    this.padId = padId;
    this.maxLength = maxLength;
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
    return CompletionBatch.of(prefixes, completions, padId);
  }

  private static int[] head(int[] a, int n) {
    return a.length <= n ? a : Arrays.copyOf(a, n);
  }
}

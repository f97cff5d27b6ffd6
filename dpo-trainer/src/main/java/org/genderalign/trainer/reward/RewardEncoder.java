package org.genderalign.trainer.reward;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.trainer.data.PairEncoder;

/**
 * Turns preference pairs into {@link RewardExample}s: each answer tokenised as
 * {@link PairEncoder} does (BOS + templated prompt, then the completion + EOS, tokenised apart and
 * concatenated), and — as TRL's RewardTrainer filters its data — a pair whose chosen or rejected
 * sequence is longer than {@code maxLength} is dropped and counted, never truncated (a cut answer
 * would be judged on a part of it) — unless {@code truncate} is set, when each sequence keeps its
 * first {@code maxLength} tokens, as {@link RewardScorer} scores. A pair's {@code margin} comes from its metadata field
 * {@value #MARGIN_FIELD} (TRL's column; a top-level {@code "margin"} of a TRL JSONL line).
 */
public final class RewardEncoder {

  /** The metadata field holding a pair's margin. */
  public static final String MARGIN_FIELD = "margin";

  private final PairEncoder encoder;
  private final boolean truncate;

  /**
   * @param encoder the tokenisation and the maximum length
   * @param truncate cut longer sequences to the maximum length instead of dropping their pair
   */
  public RewardEncoder(PairEncoder encoder, boolean truncate) {
    this.encoder = Objects.requireNonNull(encoder);
    this.truncate = truncate;
  }

  /**
   * What {@link #encodeAll} produced.
   *
   * @param examples the kept pairs, in input order
   * @param droppedIds ids of pairs longer than maxLength (none when truncating)
   * @param truncated how many kept pairs were cut to maxLength
   * @param withMargin how many kept pairs carry a margin
   */
  public record Result(List<RewardExample> examples, List<String> droppedIds, int truncated, int withMargin) {}

  /**
   * Encodes every pair.
   *
   * @throws IllegalArgumentException naming the pair when its margin is not a finite number
   */
  public Result encodeAll(List<PreferencePair> pairs) {
    List<RewardExample> kept = new ArrayList<>(pairs.size());
    List<String> dropped = new ArrayList<>();
    int withMargin = 0;
    int cut = 0;
    for (PreferencePair p : pairs) {
      Object m = p.metadata().get(MARGIN_FIELD);
      float margin = 0;
      if (m != null) {
        if (!(m instanceof Number n) || !Double.isFinite(n.doubleValue())) {
          throw new IllegalArgumentException("pair " + p.id() + ": field " + MARGIN_FIELD
              + ": expected a finite number, got " + m);
        }
        margin = n.floatValue();
      }
      int[] prompt = encoder.encodePrompt(p.prompt());
      int[] c = concat(prompt, encoder.encodeCompletion(p.chosen()));
      int[] r = concat(prompt, encoder.encodeCompletion(p.rejected()));
      int max = encoder.maxLength();
      if (c.length > max || r.length > max) {
        if (!truncate) {
          dropped.add(p.id());
          continue;
        }
        cut++;
        c = java.util.Arrays.copyOf(c, Math.min(max, c.length));
        r = java.util.Arrays.copyOf(r, Math.min(max, r.length));
      }
      withMargin += m != null ? 1 : 0;
      kept.add(new RewardExample(p.id(), c, r, margin));
    }
    return new Result(List.copyOf(kept), List.copyOf(dropped), cut, withMargin);
  }

  static int[] concat(int[] a, int[] b) {
    int[] out = new int[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

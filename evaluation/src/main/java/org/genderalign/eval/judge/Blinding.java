package org.genderalign.eval.judge;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.genderalign.core.io.Hashing;

/**
 * How answers are shown to judges: in a random order fixed by the run's seed and the question's
 * id (so a re-run, the exported annotation sheet and every judge see the same order), under
 * neutral labels A, B, C… The order is recorded with every ranking row.
 */
public final class Blinding {

  /** Most models a ranking can hold (one label letter each). */
  public static final int MAX_ANSWERS = 26;

  private Blinding() {}

  /** The label of the answer shown at {@code position} (0 → A). */
  public static String label(int position) {
    if (position < 0 || position >= MAX_ANSWERS) {
      throw new IllegalArgumentException("no label for position " + position);
    }
    return String.valueOf((char) ('A' + position));
  }

  /** The position of {@code label}, or -1 if it is not one of the first {@code k} labels. */
  public static int position(String label, int k) {
    if (label == null || label.length() != 1) {
      return -1;
    }
    int p = label.charAt(0) - 'A';
    return p >= 0 && p < k ? p : -1;
  }

  /**
   * The models in the order their answers are shown for question {@code id}: a Fisher–Yates
   * shuffle of {@code models} driven by XO_RO_SHI_RO_128_PP whose two state words are the first
   * 128 bits of sha256(seed ":" id). (Seeding it with the raw seed beside a hash of the id gave
   * neighbouring seeds the same orders: the generator's first outputs barely move with a small
   * change of one state word.)
   */
  public static List<String> order(long seed, String id, List<String> models) {
    if (models.size() > MAX_ANSWERS) {
      throw new IllegalArgumentException("a ranking holds at most " + MAX_ANSWERS + " models, got "
          + models.size());
    }
    String h = Hashing.sha256(seed + ":" + id);
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(new long[] {
        Long.parseUnsignedLong(h.substring(0, 16), 16), Long.parseUnsignedLong(h.substring(16, 32), 16)});
    List<String> out = new ArrayList<>(models);
    for (int i = out.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      String t = out.get(i);
      out.set(i, out.get(j));
      out.set(j, t);
    }
    return out;
  }
}

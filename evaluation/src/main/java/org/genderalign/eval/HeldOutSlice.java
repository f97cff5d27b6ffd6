package org.genderalign.eval;

/**
 * A contiguous slice {@code [from, to)} of a file's rows (0-based) kept out of training so that
 * the perplexity benchmark measures text a model never saw.
 *
 * <p>The default for the mirrored Alpaca sample ({@code alpaca_5000.json}, 5,000 rows) is the
 * last 500 rows, {@code [4500, 5000)}: an SFT stage that produces a model evaluated here may
 * train on rows {@code [0, 4500)} only ({@link #trainingRows} says which).
 *
 * @param from first held-out row
 * @param to one past the last held-out row
 */
public record HeldOutSlice(int from, int to) {

  /** First held-out row of the default Alpaca slice. */
  public static final int ALPACA_DEFAULT_FROM = 4500;
  /** End of the default Alpaca slice (the sample's size). */
  public static final int ALPACA_DEFAULT_TO = 5000;
  /** The default held-out Alpaca rows. */
  public static final HeldOutSlice ALPACA_DEFAULT =
      new HeldOutSlice(ALPACA_DEFAULT_FROM, ALPACA_DEFAULT_TO);

  public HeldOutSlice {
    if (from < 0 || to <= from) {
      throw new IllegalArgumentException("held-out rows must be FROM:TO with 0 <= FROM < TO, got "
          + from + ":" + to);
    }
  }

  /** Parses {@code FROM:TO}. */
  public static HeldOutSlice parse(String s) {
    String[] p = s.split(":");
    if (p.length != 2) {
      throw new IllegalArgumentException("held-out rows must be FROM:TO (e.g. 4500:5000), got '"
          + s + "'");
    }
    try {
      return new HeldOutSlice(Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("held-out rows must be FROM:TO (e.g. 4500:5000), got '"
          + s + "'");
    }
  }

  /** Whether row {@code i} is held out. */
  public boolean contains(int i) {
    return i >= from && i < to;
  }

  /** The rows of a file of {@code size} rows that training may use: everything else. */
  public java.util.function.IntPredicate trainingRows() {
    return i -> !contains(i);
  }

  @Override
  public String toString() {
    return from + ":" + to;
  }
}

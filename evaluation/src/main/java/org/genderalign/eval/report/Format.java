package org.genderalign.eval.report;

import java.util.Locale;
import org.genderalign.eval.stats.Comparison;
import org.genderalign.eval.stats.Estimate;

/** How numbers are written in the reports (the agreement test parses them back). */
public final class Format {

  /** Decimals of values, intervals and differences in the full tables. */
  public static final int DECIMALS = 4;

  private Format() {}

  /** {@code v} with {@code decimals} decimals; {@code n/a} for NaN. */
  public static String num(double v, int decimals) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** {@code value [low, high]}. */
  public static String withCi(double v, double lo, double hi, int decimals) {
    return num(v, decimals) + " [" + num(lo, decimals) + ", " + num(hi, decimals) + "]";
  }

  /** An estimate scaled by {@code scale}. */
  public static String estimate(Estimate e, double scale, int decimals) {
    return withCi(e.value() * scale, e.ciLow() * scale, e.ciHigh() * scale, decimals);
  }

  /** A p-value: 4 significant digits. */
  public static String p(double p) {
    if (Double.isNaN(p)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.4g", p);
  }

  /** A difference with its interval and a star when p < 0.05. */
  public static String difference(Comparison c, int decimals) {
    String s = (c.difference() > 0 ? "+" : "") + withCi(c.difference(), c.ciLow(), c.ciHigh(),
        decimals);
    return c.pValue() < 0.05 ? s + " *" : s;
  }
}

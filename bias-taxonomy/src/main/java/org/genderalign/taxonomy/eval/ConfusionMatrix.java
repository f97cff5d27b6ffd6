package org.genderalign.taxonomy.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.genderalign.taxonomy.BiasCategory;

/**
 * Counts of (gold, predicted) over the five categories, and the metrics derived from them.
 * Not thread-safe while being filled; {@link #merge} combines per-thread matrices.
 */
public final class ConfusionMatrix {

  private static final BiasCategory[] L = BiasCategory.values();
  private final long[][] counts = new long[L.length][L.length];

  public void add(BiasCategory gold, BiasCategory predicted) {
    counts[gold.ordinal()][predicted.ordinal()]++;
  }

  public void merge(ConfusionMatrix other) {
    for (int i = 0; i < L.length; i++) {
      for (int j = 0; j < L.length; j++) {
        counts[i][j] += other.counts[i][j];
      }
    }
  }

  public long count(BiasCategory gold, BiasCategory predicted) {
    return counts[gold.ordinal()][predicted.ordinal()];
  }

  public long total() {
    long t = 0;
    for (long[] r : counts) {
      for (long c : r) {
        t += c;
      }
    }
    return t;
  }

  /** Number of gold items with label {@code c}. */
  public long support(BiasCategory c) {
    long s = 0;
    for (long v : counts[c.ordinal()]) {
      s += v;
    }
    return s;
  }

  private long predictedAs(BiasCategory c) {
    long s = 0;
    for (long[] r : counts) {
      s += r[c.ordinal()];
    }
    return s;
  }

  public double accuracy() {
    long t = total();
    if (t == 0) {
      return Double.NaN;
    }
    long ok = 0;
    for (int i = 0; i < L.length; i++) {
      ok += counts[i][i];
    }
    return (double) ok / t;
  }

  /** Precision of {@code c}; NaN when nothing was predicted as {@code c}. */
  public double precision(BiasCategory c) {
    long p = predictedAs(c);
    return p == 0 ? Double.NaN : (double) counts[c.ordinal()][c.ordinal()] / p;
  }

  /** Recall of {@code c}; NaN when there is no gold {@code c}. */
  public double recall(BiasCategory c) {
    long s = support(c);
    return s == 0 ? Double.NaN : (double) counts[c.ordinal()][c.ordinal()] / s;
  }

  /** F1 of {@code c}: 0 when precision or recall is undefined or both are 0. */
  public double f1(BiasCategory c) {
    double p = precision(c);
    double r = recall(c);
    if (Double.isNaN(p) || Double.isNaN(r) || p + r == 0) {
      return 0.0;
    }
    return 2 * p * r / (p + r);
  }

  /** Mean F1 over the labels that occur in the gold data. */
  public double macroF1() {
    double s = 0;
    int n = 0;
    for (BiasCategory c : L) {
      if (support(c) > 0) {
        s += f1(c);
        n++;
      }
    }
    return n == 0 ? Double.NaN : s / n;
  }

  /** The binary view: biased (any of the four) versus none. */
  public BinaryCounts binary() {
    long tp = 0;
    long fp = 0;
    long tn = 0;
    long fn = 0;
    for (BiasCategory g : L) {
      for (BiasCategory p : L) {
        long v = count(g, p);
        if (g.isBiased() && p.isBiased()) {
          tp += v;
        } else if (!g.isBiased() && p.isBiased()) {
          fp += v;
        } else if (!g.isBiased()) {
          tn += v;
        } else {
          fn += v;
        }
      }
    }
    return new BinaryCounts(tp, fp, tn, fn);
  }

  /** Biased-vs-unbiased counts. */
  public record BinaryCounts(long tp, long fp, long tn, long fn) {
    public double accuracy() {
      long t = tp + fp + tn + fn;
      return t == 0 ? Double.NaN : (double) (tp + tn) / t;
    }

    /** Share of unbiased items flagged as biased. */
    public double falsePositiveRate() {
      return fp + tn == 0 ? Double.NaN : (double) fp / (fp + tn);
    }

    /** Share of biased items flagged as biased. */
    public double recall() {
      return tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
    }
  }

  /** Metric id → value, for machine-readable reports. */
  public Map<String, Double> metrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("n", (double) total());
    m.put("accuracy", accuracy());
    m.put("macro_f1", macroF1());
    BinaryCounts b = binary();
    m.put("binary_accuracy", b.accuracy());
    m.put("binary_false_positive_rate", b.falsePositiveRate());
    m.put("binary_recall", b.recall());
    for (BiasCategory c : L) {
      m.put("precision." + c.id(), precision(c));
      m.put("recall." + c.id(), recall(c));
      m.put("f1." + c.id(), f1(c));
      m.put("support." + c.id(), (double) support(c));
    }
    return m;
  }

  /** A plain-text report: headline metrics, per-label table and the matrix (rows = gold). */
  public String render() {
    StringBuilder sb = new StringBuilder();
    BinaryCounts b = binary();
    sb.append(String.format(Locale.ROOT, "n = %d   accuracy = %.3f   macro-F1 = %.3f%n", total(), accuracy(), macroF1()));
    sb.append(String.format(Locale.ROOT,
        "biased vs none: accuracy = %.3f   unbiased flagged as biased = %.3f   biased recall = %.3f%n",
        b.accuracy(), b.falsePositiveRate(), b.recall()));
    sb.append(String.format(Locale.ROOT, "%n%-33s %9s %9s %9s %8s%n", "label", "precision", "recall", "f1", "support"));
    for (BiasCategory c : L) {
      sb.append(String.format(Locale.ROOT, "%-33s %9s %9s %9.3f %8d%n", c.id(), fmt(precision(c)),
          fmt(recall(c)), f1(c), support(c)));
    }
    List<String> abbrev = List.of("ster", "disc", "occu", "marg", "none");
    sb.append(String.format(Locale.ROOT, "%nconfusion (rows = gold, columns = predicted)%n%-33s", ""));
    abbrev.forEach(a -> sb.append(String.format(Locale.ROOT, "%6s", a)));
    sb.append('\n');
    for (BiasCategory g : L) {
      sb.append(String.format(Locale.ROOT, "%-33s", g.id()));
      for (BiasCategory p : L) {
        sb.append(String.format(Locale.ROOT, "%6d", count(g, p)));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }
}

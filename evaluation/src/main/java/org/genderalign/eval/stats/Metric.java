package org.genderalign.eval.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * One metric of a benchmark as a function of a list of resampling units (which may hold
 * repeats: the bootstrap draws with replacement), so that intervals and paired tests recompute
 * it — ratios included — on every resample.
 *
 * @param <U> the unit type
 * @param name the metric's id in results.json (e.g. {@code acc}, {@code amb_bias_score})
 * @param description one line for readers of the report
 * @param value the metric over a list of units (NaN when undefined, e.g. no unit counts)
 * @param count how many observations the value rests on (its {@code n})
 * @param outcomes for a {@link Kind#PROPORTION}: each unit's 0/1 outcomes (empty when the unit
 *     does not count for this metric); null for a {@link Kind#CONTINUOUS} metric
 * @param headline whether the report's main tables show it (the rest go to the details)
 */
public record Metric<U>(String name, String description, ToDoubleFunction<List<U>> value,
    ToIntFunction<List<U>> count, Function<U, List<Boolean>> outcomes, boolean headline) {

  /** How two models are compared on this metric. */
  public enum Kind {
    /** A mean of 0/1 outcomes: exact McNemar test on the discordant outcomes. */
    PROPORTION,
    /** Anything else (means of continuous values, ratios, correlations): paired permutation. */
    CONTINUOUS
  }

  public Metric {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(count, "count");
  }

  public Kind kind() {
    return outcomes == null ? Kind.CONTINUOUS : Kind.PROPORTION;
  }

  /** The test that compares two models on this metric, as named in results and the report. */
  public String test() {
    return kind() == Kind.PROPORTION ? Bootstrap.MCNEMAR : Bootstrap.PERMUTATION;
  }

  /** This metric, shown only in the report's details. */
  public Metric<U> detail() {
    return new Metric<>(name, description, value, count, outcomes, false);
  }

  /**
   * The share of true outcomes; a unit with a null outcome does not count.
   *
   * @param outcome a unit's outcome, or null when it does not count for this metric
   */
  public static <U> Metric<U> proportion(String name, String description,
      Function<U, Boolean> outcome) {
    return proportionOfAll(name, description, u -> {
      Boolean b = outcome.apply(u);
      return b == null ? List.of() : List.of(b);
    });
  }

  /** The share of true outcomes over every outcome of every unit (units may hold several). */
  public static <U> Metric<U> proportionOfAll(String name, String description,
      Function<U, List<Boolean>> outcomes) {
    ToDoubleFunction<List<U>> value = units -> {
      long n = 0;
      long yes = 0;
      for (U u : units) {
        for (boolean b : outcomes.apply(u)) {
          n++;
          yes += b ? 1 : 0;
        }
      }
      return n == 0 ? Double.NaN : (double) yes / n;
    };
    ToIntFunction<List<U>> count = units -> {
      int n = 0;
      for (U u : units) {
        n += outcomes.apply(u).size();
      }
      return n;
    };
    return new Metric<>(name, description, value, count, outcomes, true);
  }

  /** A mean of a per-unit value; units whose value is NaN do not count. */
  public static <U> Metric<U> mean(String name, String description, ToDoubleFunction<U> per) {
    ToDoubleFunction<List<U>> value = units -> {
      double sum = 0;
      int n = 0;
      for (U u : units) {
        double v = per.applyAsDouble(u);
        if (!Double.isNaN(v)) {
          sum += v;
          n++;
        }
      }
      return n == 0 ? Double.NaN : sum / n;
    };
    ToIntFunction<List<U>> count = units -> {
      int n = 0;
      for (U u : units) {
        n += Double.isNaN(per.applyAsDouble(u)) ? 0 : 1;
      }
      return n;
    };
    return new Metric<>(name, description, value, count, null, true);
  }

  /** Any statistic of the units (ratios, correlations, macro averages). */
  public static <U> Metric<U> of(String name, String description,
      ToDoubleFunction<List<U>> value, ToIntFunction<List<U>> count) {
    return new Metric<>(name, description, value, count, null, true);
  }

  /** The units for which {@code keep} holds (a helper for subset metrics). */
  public static <U> List<U> where(List<U> units, java.util.function.Predicate<U> keep) {
    List<U> out = new ArrayList<>();
    for (U u : units) {
      if (keep.test(u)) {
        out.add(u);
      }
    }
    return out;
  }
}

package org.genderalign.eval.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One model's results on one benchmark, ready for statistics: the resampling units with their
 * ids (so two models are paired on the same units), the metrics, counts worth reporting
 * (truncated, dropped…) and data for charts.
 *
 * @param <U> the unit type
 * @param unit what a unit is, for the report ({@code item}, {@code pair}, {@code occupation})
 * @param ids one id per unit, unique
 * @param units the units
 * @param metrics the metrics, in report order
 * @param counts named counts about the run (e.g. {@code truncated}); JSON-able values
 * @param charts data for the report's charts, keyed by chart; JSON-able values
 */
public record MetricSet<U>(String unit, List<String> ids, List<U> units, List<Metric<U>> metrics,
    Map<String, Object> counts, Map<String, Object> charts) {

  public MetricSet {
    Objects.requireNonNull(unit, "unit");
    ids = List.copyOf(ids);
    units = Collections.unmodifiableList(new ArrayList<>(units));
    metrics = List.copyOf(metrics);
    counts = counts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    charts = charts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(charts));
    if (ids.size() != units.size()) {
      throw new IllegalArgumentException(ids.size() + " ids for " + units.size() + " units");
    }
    Set<String> seen = new HashSet<>();
    for (String id : ids) {
      if (!seen.add(id)) {
        throw new IllegalArgumentException("duplicate unit id '" + id + "'");
      }
    }
    Set<String> names = new HashSet<>();
    for (Metric<U> m : metrics) {
      if (!names.add(m.name())) {
        throw new IllegalArgumentException("duplicate metric '" + m.name() + "'");
      }
    }
  }

  /** The metric called {@code name}, or null. */
  public Metric<U> metric(String name) {
    for (Metric<U> m : metrics) {
      if (m.name().equals(name)) {
        return m;
      }
    }
    return null;
  }
}

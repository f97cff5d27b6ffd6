package org.genderalign.eval.stats;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A metric's value with its 95% percentile-bootstrap interval.
 *
 * @param value the metric on all units
 * @param ciLow lower end of the interval (NaN when no resample defines the metric)
 * @param ciHigh upper end
 * @param n the observations the value rests on
 */
public record Estimate(double value, @JsonProperty("ci_low") double ciLow,
    @JsonProperty("ci_high") double ciHigh, int n) {}

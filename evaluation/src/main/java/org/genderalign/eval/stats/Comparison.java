package org.genderalign.eval.stats;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A model against the baseline on one metric, over the units both have.
 *
 * @param value the model's metric on the shared units
 * @param baselineValue the baseline's metric on the shared units
 * @param difference {@code value − baselineValue}
 * @param ciLow lower end of the paired-bootstrap 95% interval of the difference
 * @param ciHigh upper end
 * @param pValue two-sided p-value of {@link #test}
 * @param test {@value Bootstrap#MCNEMAR} or {@value Bootstrap#PERMUTATION}
 * @param n shared units
 */
public record Comparison(double value, @JsonProperty("baseline_value") double baselineValue,
    double difference, @JsonProperty("ci_low") double ciLow,
    @JsonProperty("ci_high") double ciHigh, @JsonProperty("p_value") double pValue, String test,
    int n) {}

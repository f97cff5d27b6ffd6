/**
 * Statistics of benchmark results: a {@link org.genderalign.eval.stats.MetricSet} holds the
 * resampling units of one model on one benchmark (items, pairs, occupations) and its metrics as
 * functions of any multiset of units; {@link org.genderalign.eval.stats.Bootstrap} gives every
 * metric a seeded percentile interval and compares two models on the same units (paired
 * bootstrap interval of the difference, exact McNemar test for accuracies, paired permutation
 * test for everything else). Quantiles and the binomial test come from Apache Commons
 * Statistics, random numbers from Apache Commons RNG.
 */
package org.genderalign.eval.stats;

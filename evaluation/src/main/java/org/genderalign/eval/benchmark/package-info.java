/**
 * The benchmarks, each a {@link org.genderalign.eval.benchmark.Benchmark} registered by name in
 * {@link org.genderalign.eval.benchmark.Benchmarks}: {@code bbq-gender}, {@code crows-pairs-gender},
 * {@code winogender}, {@code stereoset-gender} (scored exactly as eval-protocol.md says),
 * {@code preference} (held-out preference pairs, tokenized as DPO does) and {@code perplexity}
 * (held-out text). A benchmark turns a model into per-item prediction rows, and prediction rows
 * into a {@link org.genderalign.eval.stats.MetricSet}: every number in the reports is recomputed
 * from the rows written to {@code predictions/}. Adding a benchmark = one class + one line in the
 * registry + its test.
 */
package org.genderalign.eval.benchmark;

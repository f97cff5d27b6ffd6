/**
 * Evaluation: does an aligned model show less gender bias than the baseline, and by how much?
 * {@link org.genderalign.eval.Evaluator} runs the benchmarks named in an
 * {@link org.genderalign.eval.EvaluationConfig} on every model, writes per-item predictions,
 * {@code results.json}, {@code report.md} and {@code report.html}, and returns an
 * {@link org.genderalign.eval.EvaluationResult}. The CLI's {@code eval} command and the pipeline
 * only fill the config and call it.
 *
 * <p>Sub-packages: {@code benchmark} (the benchmarks, registered by name), {@code data} (readers
 * of the benchmark files), {@code stats} (bootstrap intervals and paired tests),
 * {@code predictions} (the per-item files and their reuse), {@code report} (JSON, Markdown and
 * HTML reports with SVG charts).
 */
package org.genderalign.eval;

/**
 * The outputs people and programs read: {@code results.json} (the
 * {@link org.genderalign.eval.EvaluationResult} as JSON), {@code report.md} (tables laid out like
 * the GenderAlign paper's, then every benchmark with intervals and comparisons) and
 * {@code report.html} (one self-contained page rendered by the precompiled jte template
 * {@code src/main/jte/report.jte}, with inline SVG charts drawn by JFreeChart + JFreeSVG). Both
 * reports are rendered from one {@link org.genderalign.eval.report.ReportModel}, so they agree.
 */
package org.genderalign.eval.report;

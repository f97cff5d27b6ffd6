/**
 * The offline {@code template} backend: category-aware question templates over what a seed is
 * about (its theme, the gender group it targets, an occupation it names), chosen answers
 * composed from project-written neutral, evidence-based fragments and BLS occupation figures,
 * and rejected answers that endorse the claim or are off-topic or low quality — as the paper's
 * unaligned answers often were. Deterministic by (build seed, seed id, dialogue index).
 */
package org.genderalign.builder.generate.template;

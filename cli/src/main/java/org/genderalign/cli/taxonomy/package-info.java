/**
 * {@code genderalign taxonomy}: the bias taxonomy's definitions ({@code describe}), labelling
 * preference pairs ({@code classify}), measuring the classifier ({@code evaluate}), auditing a
 * data set ({@code audit}) and its throughput ({@code bench}). Thin faces over
 * {@code org.genderalign.taxonomy}.
 */
package org.genderalign.cli.taxonomy;

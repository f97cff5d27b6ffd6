/**
 * Whole-data-set summaries of preference pairs: counts, lengths, duplicates, category and source
 * mix ({@link org.genderalign.core.dataset.DatasetStats}), and the shortcut audit — length bias,
 * repetition, diversity at a fixed sample size, template artefacts, length budget — that tells
 * whether a DPO model could learn a surface shortcut instead of the preference
 * ({@link org.genderalign.core.dataset.ShortcutAudit}).
 */
package org.genderalign.core.dataset;

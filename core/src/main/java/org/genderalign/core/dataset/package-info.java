/** Whole-data-set summaries of preference pairs: counts, lengths, duplicates, category and source mix. */
package org.genderalign.core.dataset;

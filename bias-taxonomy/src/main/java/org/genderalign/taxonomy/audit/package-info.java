/**
 * Judging whole preference pairs with the taxonomy: the category of the chosen and of the
 * rejected answer and whether the pair is about gender, in parallel and in input order; the
 * metadata fields that {@code taxonomy classify} adds to each pair; and the audit report
 * (gender-related count, category mix, flagged pairs) of {@code taxonomy audit}.
 */
package org.genderalign.taxonomy.audit;

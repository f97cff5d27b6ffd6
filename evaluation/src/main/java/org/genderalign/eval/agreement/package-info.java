/**
 * Agreement between judges of the ranking benchmark: Kendall's W over all judges, Fleiss' κ on
 * the top-ranked answer, pairwise Spearman ρ ({@link org.genderalign.eval.agreement.Agreement}),
 * each with the tie rules the report states.
 */
package org.genderalign.eval.agreement;

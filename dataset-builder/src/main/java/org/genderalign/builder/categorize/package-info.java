/**
 * Categorisation of every candidate's answers with the bias taxonomy (in parallel, results in
 * input order) and rebalancing of the selected pairs towards a target category mix.
 */
package org.genderalign.builder.categorize;

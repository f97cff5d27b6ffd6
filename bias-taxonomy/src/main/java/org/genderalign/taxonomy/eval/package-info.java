/**
 * Measuring the classifier: confusion matrices with accuracy, macro-F1 and per-label
 * precision/recall, stratified k-fold cross-validation on the exemplars (the held-out fold is
 * never in the index or the training set), and the binary biased-vs-unbiased view.
 */
package org.genderalign.taxonomy.eval;

/**
 * The small learned part of the classifier: an L2-regularised multinomial logistic regression
 * over the named features, trained in milliseconds on the exemplar set, with per-feature
 * contributions for explanations.
 */
package org.genderalign.taxonomy.model;

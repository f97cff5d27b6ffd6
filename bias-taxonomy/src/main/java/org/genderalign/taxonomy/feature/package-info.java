/**
 * Turns a question/answer pair into the classifier's feature vector: nearest-exemplar label
 * distributions from the Lucene index, lexicon counts, stance cues (does the answer agree with,
 * reject, or correct the question's premise?) and their interactions. Each feature has a name,
 * so the model's reasons can be printed.
 */
package org.genderalign.taxonomy.feature;

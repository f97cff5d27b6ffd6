/**
 * The labelled exemplar set the classifier learns from (shipped as
 * {@code org/genderalign/taxonomy/exemplars.jsonl}: id, question, answer, label, note) and its
 * in-memory Lucene BM25 index, which finds the exemplars nearest to a new answer.
 */
package org.genderalign.taxonomy.exemplar;

/**
 * Word lists the taxonomy matches against text: the public gendered word lists, word pairs and
 * BLS occupations read from the data root, and the project-authored lists shipped as resources
 * (LGBTQ+ terms, gendered slurs, diminutives, workplace and education terms, stance cues), each
 * with its source recorded. {@link org.genderalign.taxonomy.lexicon.PhraseMatcher} finds
 * single- and multi-word terms in tokenized text.
 */
package org.genderalign.taxonomy.lexicon;

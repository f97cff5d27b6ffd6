/**
 * The GenderAlign bias taxonomy as code: the categories ({@link org.genderalign.taxonomy.BiasCategory}),
 * their shipped definitions ({@link org.genderalign.taxonomy.Taxonomy}), a gender-relatedness
 * detector and the explainable classifier ({@link org.genderalign.taxonomy.DefaultBiasClassifier})
 * used by the dataset builder, the evaluation suite and the CLI's audit.
 */
package org.genderalign.taxonomy;

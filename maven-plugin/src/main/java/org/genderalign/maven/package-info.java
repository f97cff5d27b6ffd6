/**
 * Maven goals: thin layers over the library, filling the same config records as the CLI and
 * failing with the CLI's one-line messages. {@code genderalign:verify-data} checks the data
 * root; {@code genderalign:build-dataset} builds a preference data set;
 * {@code genderalign:train} runs SFT or DPO; {@code genderalign:evaluate} runs the bias
 * benchmarks. See docs/maven-plugin.md.
 */
package org.genderalign.maven;

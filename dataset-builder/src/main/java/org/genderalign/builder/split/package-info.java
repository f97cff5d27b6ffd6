/**
 * The train/test split: stratified by category and grouped by seed and by near-duplicate
 * prompts, so that no seed and no near-duplicate prompt appears on both sides; reproducible
 * from the build seed.
 */
package org.genderalign.builder.split;

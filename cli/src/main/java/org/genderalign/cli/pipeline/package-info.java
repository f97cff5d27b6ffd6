/** {@code genderalign pipeline} (alias {@code run}): the main job, a thin face over the pipeline library. */
package org.genderalign.cli.pipeline;

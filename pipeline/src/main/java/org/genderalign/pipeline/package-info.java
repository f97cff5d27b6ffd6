/**
 * The paper's experiment as one library call: {@link org.genderalign.pipeline.Pipeline#run}
 * takes a {@link org.genderalign.pipeline.PipelineConfig} and runs the stages verify → build →
 * base (SFT) → harmless (DPO) → genderalign (DPO) → evaluate → summary, each in its own folder
 * with a {@link org.genderalign.pipeline.StageManifest}, skipping what is unchanged and resuming
 * what was interrupted, and returns a {@link org.genderalign.pipeline.PipelineResult} with the
 * plain-words {@link org.genderalign.pipeline.Summary}. The CLI's {@code pipeline} command, the
 * Maven goal and the notebooks only fill the config ({@link org.genderalign.pipeline.PipelineConfigs})
 * and call it.
 */
package org.genderalign.pipeline;

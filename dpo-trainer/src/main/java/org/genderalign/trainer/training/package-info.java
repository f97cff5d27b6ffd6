/**
 * The generic training loop and what every objective shares: batching of prompt + completion
 * rows with completion masks, per-sequence log-probabilities, gradient accumulation with correct
 * loss scaling, clipping, the NaN/Inf guard, metrics JSONL and the progress bar. SFT and DPO are
 * {@link org.genderalign.trainer.training.TrainingTask}s plugged into it.
 */
package org.genderalign.trainer.training;

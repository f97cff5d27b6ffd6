/**
 * Text generation, the project's one path for it:
 * {@link org.genderalign.trainer.generate.Generator} (batched prompts, a preallocated KV cache
 * written in place, token choice on the device, stop strings, per-row seeded sampling that does
 * not depend on the batch), {@link org.genderalign.trainer.generate.GenerationConfig} (greedy by
 * default), {@link org.genderalign.trainer.generate.TokenSelector} (argmax / top-k / top-p on the
 * device) and {@link org.genderalign.trainer.generate.Sampler} with
 * {@link org.genderalign.trainer.generate.XorShiftRandom} (run.c's host-side sampling and random
 * numbers, the reference the device-side selection is tested against). Prompt formats (chat
 * templates) are in {@code org.genderalign.trainer.data.PromptTemplate}.
 */
package org.genderalign.trainer.generate;

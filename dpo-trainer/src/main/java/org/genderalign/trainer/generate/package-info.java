/**
 * Text generation: {@link org.genderalign.trainer.generate.Generator} (single or batched prompts,
 * KV cache, left padding), {@link org.genderalign.trainer.generate.GenerationConfig} (greedy by
 * default) and {@link org.genderalign.trainer.generate.Sampler} (run.c's argmax / multinomial /
 * top-p sampling with its xorshift random numbers).
 */
package org.genderalign.trainer.generate;

/**
 * The generation step of the generation-based benchmarks: the held-out prompt sets
 * ({@link org.genderalign.eval.generation.PromptSet}: the real GenderAlign release prompts, the
 * built test split), each model's answers generated once with dpo-trainer's {@code Generator}
 * and cached, resumably, under {@code predictions/<model>/generations-<set>.jsonl}
 * ({@link org.genderalign.eval.generation.AnswerCache}), the settings they were made with
 * ({@link org.genderalign.eval.generation.GenerationOptions}), and the report's seeded sample
 * generations ({@link org.genderalign.eval.generation.Samples}).
 */
package org.genderalign.eval.generation;

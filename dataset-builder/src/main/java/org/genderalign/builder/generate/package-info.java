/**
 * Generation behind two small interfaces chosen by name in the build config: a
 * {@link org.genderalign.builder.generate.DialogueWriter} writes the single-turn dialogues
 * (question + neutral chosen answer) for a seed, a {@link org.genderalign.builder.generate.RejectedWriter}
 * answers the question as an unaligned assistant would. Backends: {@code template} (offline,
 * deterministic) and {@code openai} (any OpenAI-compatible endpoint), and for rejected answers {@code model} (a
 * local dpo-trainer model).
 */
package org.genderalign.builder.generate;

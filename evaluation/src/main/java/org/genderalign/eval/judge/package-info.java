/**
 * The judges of the ranking benchmark, each a {@link org.genderalign.eval.judge.Judge}
 * registered by kind in {@link org.genderalign.eval.judge.Judges}: {@code taxonomy} (the offline
 * bias classifier), {@code openai:MODEL} (an LLM behind an OpenAI-compatible endpoint, with the
 * project's {@link org.genderalign.eval.judge.JudgeInstructions} and a strict
 * {@link org.genderalign.eval.judge.RankingParser}) and {@code human:FILE} (a blinded
 * {@link org.genderalign.eval.judge.AnnotationSheet} filled by people). Judges see answers in a
 * seeded random order under neutral labels ({@link org.genderalign.eval.judge.Blinding}).
 */
package org.genderalign.eval.judge;

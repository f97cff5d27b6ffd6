/**
 * From preference pairs to token ids: {@link org.genderalign.trainer.data.PairEncoder}
 * (BOS + prompt, completions encoded separately + EOS, truncation keeping the start, pairs whose
 * prompt fills the budget dropped and counted) and
 * {@link org.genderalign.trainer.data.PromptTemplate} (default {@code raw}; {@code hh} for
 * {@code \n\nHuman: …\n\nAssistant:} turns). {@link org.genderalign.trainer.data.TrainingData}
 * reads a run's files, splits off the held-out part and records the run's provenance, the same
 * for every face (CLI, Maven goals).
 */
package org.genderalign.trainer.data;

package org.genderalign.trainer.training;

/**
 * Where a run stands, saved in every checkpoint ({@code trainer_state.json}) so that a resumed
 * run takes exactly the same examples in the same order.
 *
 * @param step optimizer steps completed
 * @param epoch index of the current pass over the data
 * @param position examples of the current pass already consumed
 * @param examplesSeen examples consumed in total
 * @param tokens tokens processed in total
 * @param elapsedSeconds training time so far (across resumes)
 * @param determinismKey {@link TrainingConfig#determinismKey()} of the run that saved it
 * @param dataHash identity of the training examples
 */
public record TrainerState(long step, int epoch, int position, long examplesSeen, long tokens,
    double elapsedSeconds, String determinismKey, String dataHash) {}

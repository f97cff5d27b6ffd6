package org.genderalign.trainer.training;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One objective plugged into {@link TrainingLoop}: how to turn a micro-batch of examples into a
 * summed loss, how much each example weighs in the step mean, how to evaluate and how to save
 * the final model. SFT and DPO implement it.
 *
 * @param <E> an encoded training example
 */
public interface TrainingTask<E> {

  /** A short name for logs and the progress bar ({@code sft}, {@code dpo}). */
  String name();

  /** Trainable parameters by stable name (the names key checkpoints and optimizer state). */
  Map<String, Parameter> trainableParameters();

  /** The id of an example (for the NaN guard's report). */
  String id(E example);

  /**
   * The weight of an example in the step's mean loss: 1 for a preference pair (mean over
   * pairs), its completion-token count for SFT (mean over tokens, as a full batch would give).
   */
  double units(E example);

  /**
   * Work that must happen outside the gradient collector before the forward pass — e.g. the
   * DPO reference model's log-probs (djl-notes.md trap 4: no graph is built outside a
   * collector). The result is handed to {@link #forward}.
   *
   * @param weights the weights to read (a replica's under data parallel; see {@link DataParallel})
   * @param step the micro-batch's manager, on the replica's device
   * @param batch the examples
   */
  default Object prepare(ParameterStore weights, NDManager step, List<E> batch) {
    return null;
  }

  /**
   * Forward pass of one micro-batch inside a gradient collector (or, for evaluation, outside).
   *
   * @param weights the weights to read (a replica's under data parallel; see {@link DataParallel})
   * @param step the micro-batch's manager, on the replica's device: every temporary belongs to it
   * @param batch the examples
   * @param training whether dropout and other training-only behaviour applies
   * @param prepared what {@link #prepare} returned for this batch
   */
  MicroBatchResult forward(ParameterStore weights, NDManager step, List<E> batch, boolean training, Object prepared);

  /**
   * How many consecutive optimizer steps train on one draw of examples: 1 (the default) for
   * every objective but GRPO, whose {@code num_iterations} steps reuse one batch of sampled
   * completions. With more than 1, an epoch takes that many times more steps, and a resumed run
   * must resume on a draw boundary (the task's checkpoint interval must be a multiple).
   */
  default int stepsPerDraw() {
    return 1;
  }

  /**
   * Called once per optimizer step outside any gradient collector, after its examples are drawn
   * and before {@link #units} is asked for them: where GRPO samples and scores the step's
   * completions. The default does nothing.
   *
   * @param step the 0-based optimizer step
   * @param examples the step's examples, in micro-batch order
   * @param fresh false when these are the previous step's examples again ({@link #stepsPerDraw})
   */
  default void beginStep(long step, List<E> examples, boolean fresh) {}

  /** Metric names in the order to log them (their sums come from {@link #forward}). */
  List<String> metricNames();

  /**
   * State of the objective itself that a resumed run needs besides weights and optimizer moments
   * (e.g. a loss's running baseline), as JSON-friendly values; saved in every checkpoint. Empty
   * for a stateless task.
   */
  default Map<String, Object> state() {
    return Map.of();
  }

  /** Restores what {@link #state()} returned when the checkpoint was written. */
  default void restoreState(Map<String, ?> state) {}

  /** Writes the final trained model to {@code dir} (a fresh, empty folder). */
  void saveFinal(Path dir) throws IOException;
}

package org.genderalign.trainer.training;

import java.util.List;

/**
 * A loss or gradient became NaN or infinite. Training stops before the optimizer applies the
 * step, so the weights and the last checkpoint stay good; the message names the step and the ids
 * of the examples in the offending micro-batch(es).
 */
public final class NonFiniteLossException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final long step;
  private final List<String> exampleIds;

  public NonFiniteLossException(long step, String what, List<String> exampleIds) {
    super("non-finite " + what + " at step " + step + " (examples " + exampleIds + "); stopped, "
        + "the last good checkpoint is kept");
    this.step = step;
    this.exampleIds = List.copyOf(exampleIds);
  }

  public long step() {
    return step;
  }

  public List<String> exampleIds() {
    return exampleIds;
  }
}

package org.genderalign.trainer.training;

import ai.djl.nn.Parameter;
import java.util.Map;

/** Hooks into the loop, for tests and diagnostics. */
public interface StepListener {

  /** After backward and clipping, before the optimizer update of step {@code step} (1-based). */
  default void beforeUpdate(long step, Map<String, Parameter> params) {}

  /** After a checkpoint of step {@code step} is complete on disk. */
  default void checkpointSaved(long step, java.nio.file.Path folder) {}

  /** After a metrics record is written. */
  default void logged(Map<String, Object> record) {}
}

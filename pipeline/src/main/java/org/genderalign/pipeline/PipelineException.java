package org.genderalign.pipeline;

/** A stage cannot run (missing or corrupt data, a bad model path): one line saying which and why. */
public final class PipelineException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public PipelineException(String message) {
    super(message);
  }
}

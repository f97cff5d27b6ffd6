package org.genderalign.pipeline;

/** A bad pipeline config: the message is one line naming the file or override, the key and what was expected. */
public final class PipelineConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public PipelineConfigException(String message) {
    super(message);
  }
}

package org.genderalign.builder.pipeline;

/** A build that cannot go on (e.g. resuming with a different config); the message says what to do. */
public class BuildException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public BuildException(String message) {
    super(message);
  }

  public BuildException(String message, Throwable cause) {
    super(message, cause);
  }
}

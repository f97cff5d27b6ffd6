package org.genderalign.cli;

/** An option combination or value the command cannot accept; exit code 2, message only. */
public class BadUsageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public BadUsageException(String message) {
    super(message);
  }
}

package org.genderalign.core.dataroot;

/**
 * A registered external file is missing or does not match its registered size/sha256. The
 * message names the data set, the expected path and how to obtain it; the CLI prints it as one
 * line and exits 2.
 */
public class MissingDataException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public MissingDataException(String message) {
    super(message);
  }
}

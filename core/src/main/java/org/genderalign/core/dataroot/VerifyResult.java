package org.genderalign.core.dataroot;

import java.nio.file.Path;

/**
 * The outcome of checking one registered file.
 *
 * @param file the registry entry
 * @param status OK, MISSING, WRONG_SIZE or WRONG_HASH
 * @param path where it was looked for
 * @param message empty when OK; otherwise what is wrong and how to fix it
 */
public record VerifyResult(DataFile file, Status status, Path path, String message) {

  /** What was found. */
  public enum Status { OK, MISSING, WRONG_SIZE, WRONG_HASH }

  public boolean ok() {
    return status == Status.OK;
  }
}

package org.genderalign.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An output could not be written (a full disk, a folder that turned read-only, a quota): says
 * which file and why in one line, and that nothing was left at that path — the atomic writers
 * remove their temporary file, and the previous version of the output, if any, is untouched.
 */
public class OutputException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public OutputException(Path file, IOException cause) {
    this(file, cause, "nothing was written there; an earlier version is kept");
  }

  /**
   * @param afterwards what the user can do or expect, e.g. that a resumable partial file stays
   */
  public OutputException(Path file, IOException cause, String afterwards) {
    super("cannot write " + file + ": " + reason(cause) + " (" + afterwards + ")", cause);
    this.file = file;
  }

  /** The output that could not be written. */
  public Path file() {
    return file;
  }

  private static String reason(IOException e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return m;
  }
}

package org.genderalign.core.error;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.genderalign.core.dataroot.MissingDataException;
import org.genderalign.core.io.OutputException;

/**
 * The one line a user reads when a library call fails, the same in every face (the CLI's
 * {@code error: …} line, the Maven goals' build failure): bad input says what to fix without a
 * class name; anything else is prefixed with its exception's simple name.
 */
public final class ErrorLines {

  private ErrorLines() {}

  /**
   * Whether {@code e} means "the user's input is wrong" (exit 2 in the CLI): invalid files,
   * missing data, missing files, and {@link IllegalArgumentException}, with which config records
   * and registries reject user-supplied values (unknown id, negative batch size, …).
   */
  public static boolean isBadInput(Throwable e) {
    return e instanceof InvalidInputException
        || e instanceof MissingDataException
        || e instanceof NoSuchFileException
        || e instanceof IllegalArgumentException
        || (e instanceof UncheckedIOException u && u.getCause() instanceof NoSuchFileException);
  }

  /** {@code e} as one line. */
  public static String oneLine(Throwable e) {
    if (e instanceof NoSuchFileException n) {
      return "no such file: " + n.getFile();
    }
    if (e instanceof OutputException) {
      return e.getMessage().replace('\n', ' '); // the file, why, and that nothing was left there
    }
    if (e instanceof UncheckedIOException u && u.getCause() instanceof NoSuchFileException n) {
      return "no such file: " + n.getFile();
    }
    String msg = e.getMessage();
    if (msg == null || msg.isBlank()) {
      msg = e.getClass().getSimpleName();
    } else if (!(e instanceof InvalidInputException || e instanceof MissingDataException
        || e instanceof IllegalArgumentException)) {
      msg = e.getClass().getSimpleName() + ": " + msg;
    }
    return msg.replace('\n', ' ');
  }
}

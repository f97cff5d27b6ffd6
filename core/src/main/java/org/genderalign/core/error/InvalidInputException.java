package org.genderalign.core.error;

import java.nio.file.Path;

/**
 * Bad input in a file the user gave us: says which file, where (1-based line, or item index
 * for a JSON array), which field, and what was expected, in one line that needs no stack trace.
 *
 * <p>Example message: {@code pairs.jsonl line 3: invalid JSON (unexpected end of input)}.
 *
 * <p>{@link #recoverable()} tells a reader's caller whether reading can go on with the next
 * record (a bad row in a JSONL file) or not (a truncated gzip stream, a JSON root of the wrong
 * type): with {@code --on-error skip} a recoverable error skips the row, an unrecoverable one
 * still ends the import.
 */
public class InvalidInputException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What kind of position {@link #position()} is. */
  public enum Unit {
    /** 1-based line number of a line-oriented file (JSONL, CSV record start, TSV). */
    LINE,
    /** 0-based index of an item in a JSON array. */
    ITEM,
    /** The whole file (no position applies). */
    FILE
  }

  private final transient Path file;
  private final Unit unit;
  private final long position;
  private final String field;
  private final String problem;
  private final boolean recoverable;
  private final String rawText;

  public InvalidInputException(
      Path file, Unit unit, long position, String field, String problem, boolean recoverable,
      String rawText, Throwable cause) {
    this(format(file, unit, position, field, problem), file, unit, position, field, problem, recoverable,
        rawText, cause);
  }

  private InvalidInputException(String message, Path file, Unit unit, long position, String field,
      String problem, boolean recoverable, String rawText, Throwable cause) {
    super(message, cause);
    this.file = file;
    this.unit = unit;
    this.position = position;
    this.field = field;
    this.problem = problem;
    this.recoverable = recoverable;
    this.rawText = rawText;
  }

  /** A bad line of a line-oriented file; reading can continue after it. */
  public static InvalidInputException atLine(Path file, long line, String field, String problem) {
    return new InvalidInputException(file, Unit.LINE, line, field, problem, true, null, null);
  }

  /** A bad item of a JSON array; reading can continue after it. */
  public static InvalidInputException atItem(Path file, long index, String field, String problem) {
    return new InvalidInputException(file, Unit.ITEM, index, field, problem, true, null, null);
  }

  /** A problem with the whole file; reading cannot continue. */
  public static InvalidInputException ofFile(Path file, String problem) {
    return new InvalidInputException(file, Unit.FILE, -1, null, problem, false, null, null);
  }

  /**
   * A file with no records at all: {@code no pairs in FILE} (the path as the user gave it). An
   * empty input is an error, never a silent success with nothing done.
   *
   * @param what the records, plural: {@code pairs}, {@code examples}
   */
  public static InvalidInputException empty(Path file, String what) {
    return new InvalidInputException("no " + what + " in " + file, file, Unit.FILE, -1, null, "no " + what,
        false, null, null);
  }

  /** A copy carrying the raw text of the bad record, for the rejects file. */
  public InvalidInputException withRawText(String raw) {
    return new InvalidInputException(getMessage(), file, unit, position, field, problem, recoverable, raw,
        getCause());
  }

  /** A copy that says reading cannot go on after this error. */
  public InvalidInputException unrecoverable() {
    return new InvalidInputException(getMessage(), file, unit, position, field, problem, false, rawText,
        getCause());
  }

  /** A copy with the underlying exception attached (not shown in the one-line message). */
  public InvalidInputException withCause(Throwable cause) {
    return new InvalidInputException(getMessage(), file, unit, position, field, problem, recoverable, rawText,
        cause);
  }

  private static String format(Path file, Unit unit, long position, String field, String problem) {
    StringBuilder sb = new StringBuilder();
    sb.append(file == null ? "<input>" : file.getFileName());
    switch (unit) {
      case LINE -> sb.append(" line ").append(position);
      case ITEM -> sb.append(" item ").append(position);
      case FILE -> { }
    }
    sb.append(": ");
    if (field != null) {
      sb.append("field '").append(field).append("': ");
    }
    sb.append(problem);
    return sb.toString();
  }

  public Path file() {
    return file;
  }

  public Unit unit() {
    return unit;
  }

  /** 1-based line, 0-based item index, or -1 for {@link Unit#FILE}. */
  public long position() {
    return position;
  }

  /** The offending field, or null when the record as a whole is bad. */
  public String field() {
    return field;
  }

  /** What was wrong and what was expected, without the location prefix. */
  public String problem() {
    return problem;
  }

  public boolean recoverable() {
    return recoverable;
  }

  /** The raw text of the bad record when known (for rejects files), else null. */
  public String rawText() {
    return rawText;
  }
}

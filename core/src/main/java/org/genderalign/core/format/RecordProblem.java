package org.genderalign.core.format;

/**
 * What is wrong with one record, found by a format's record parser. The container reader
 * (JSON Lines, JSON array, CSV) knows <em>where</em> the record is and turns this into an
 * {@link org.genderalign.core.error.InvalidInputException} with file, line or item, and raw text.
 */
final class RecordProblem extends Exception {

  private static final long serialVersionUID = 1L;

  private final String field;
  private final String problem;

  RecordProblem(String field, String problem) {
    super(problem, null, false, false);
    this.field = field;
    this.problem = problem;
  }

  /** The offending field, or null for the record as a whole. */
  String field() {
    return field;
  }

  String problem() {
    return problem;
  }
}

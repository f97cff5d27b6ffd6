package org.genderalign.core.format;

/** What an {@link Importer} does with a bad record. */
public enum ErrorPolicy {
  /** Stop at the first bad record; nothing is written. */
  FAIL,
  /** Write the bad record to {@code <out>.rejects.jsonl} and go on; unrecoverable errors still stop. */
  SKIP
}

package org.genderalign.core.format;

import java.io.IOException;

/**
 * A streaming writer of records to one file. Implementations write to the path they were
 * opened on; callers that must not leave partial output use {@link org.genderalign.core.io.AtomicFiles}.
 *
 * @param <T> the record type
 */
public interface RecordWriter<T> extends AutoCloseable {

  /** Appends one record. */
  void write(T record) throws IOException;

  /** Finishes the file (closing brackets for JSON arrays, flushes, closes). */
  @Override
  void close() throws IOException;
}

package org.genderalign.core.format;

import java.io.IOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.genderalign.core.error.InvalidInputException;

/**
 * A streaming reader of records from one file. Records are parsed one at a time, so a
 * multi-gigabyte file is never held in memory.
 *
 * <p>{@link #next()} throws {@link InvalidInputException} for a bad record. If the exception is
 * {@link InvalidInputException#recoverable() recoverable}, the caller may call {@code next()}
 * again to go on with the following record (that is how {@code --on-error skip} works);
 * otherwise the reader is finished.
 *
 * @param <T> the record type
 */
public interface RecordReader<T> extends AutoCloseable {

  /**
   * The next record, or {@code null} at the end of the input.
   *
   * @throws InvalidInputException for a bad record (file, position, field and expectation)
   * @throws IOException when the file cannot be read at all
   */
  T next() throws IOException;

  @Override
  void close() throws IOException;

  /**
   * A fail-fast iterator over the remaining records: the first bad record ends iteration with
   * its {@link InvalidInputException}; I/O errors are wrapped in {@link java.io.UncheckedIOException}.
   */
  default Iterator<T> iterator() {
    return new Iterator<>() {
      private T pending;
      private boolean done;

      @Override
      public boolean hasNext() {
        if (pending == null && !done) {
          try {
            pending = RecordReader.this.next();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          done = pending == null;
        }
        return pending != null;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        T t = pending;
        pending = null;
        return t;
      }
    };
  }
}

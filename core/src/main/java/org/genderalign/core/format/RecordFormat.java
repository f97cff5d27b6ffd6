package org.genderalign.core.format;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file format for records of type {@code T}, chosen by {@link #name()} on the command line.
 * Reading then writing then reading again gives the same records (round trip is identity).
 *
 * @param <T> the record type ({@link org.genderalign.core.data.PreferencePair} or
 *     {@link org.genderalign.core.data.SftExample})
 */
public interface RecordFormat<T> {

  /** The name users type, e.g. {@code trl}, {@code hh}, {@code genderalign}, {@code csv}, {@code alpaca}. */
  String name();

  /** Opens a streaming reader. Gzip input ({@code .gz}) is accepted where the format allows it. */
  RecordReader<T> reader(Path file) throws IOException;

  /** Opens a streaming writer that creates or truncates {@code file}. */
  RecordWriter<T> writer(Path file) throws IOException;
}

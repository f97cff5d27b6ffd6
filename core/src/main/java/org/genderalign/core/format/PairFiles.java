package org.genderalign.core.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.io.AtomicFiles;

/**
 * Whole-file convenience over the streaming readers and writers of preference pairs (and of any
 * other record type: unpaired examples, SFT examples).
 */
public final class PairFiles {

  private PairFiles() {}

  /**
   * Every pair of {@code file}, failing fast: the first bad record throws its
   * {@link org.genderalign.core.error.InvalidInputException}.
   */
  public static <T> List<T> readAll(Path file, RecordFormat<T> format) throws IOException {
    List<T> out = new ArrayList<>();
    try (RecordReader<T> r = format.reader(file)) {
      T p;
      while ((p = r.next()) != null) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Checks that {@code file} holds at least one record (reading only the first), before a
   * command starts its work on it.
   *
   * @param what the records, plural, for the message ({@code pairs}, {@code examples})
   * @throws InvalidInputException {@code no pairs in FILE} for an empty file, or the first
   *     record's error
   */
  public static void requireRecords(Path file, RecordFormat<?> format, String what) throws IOException {
    try (RecordReader<?> r = format.reader(file)) {
      if (r.next() == null) {
        throw InvalidInputException.empty(file, what);
      }
    }
  }

  /** Stages {@code pairs} for {@code file} in {@code batch} (they appear when it commits). */
  public static void writeAll(AtomicFiles.Batch batch, Path file, RecordFormat<PreferencePair> format,
      Iterable<PreferencePair> pairs) throws IOException {
    batch.write(file, tmp -> {
      try (RecordWriter<PreferencePair> w = format.writer(tmp)) {
        for (PreferencePair p : pairs) {
          w.write(p);
        }
      }
    });
  }

  /** Writes {@code pairs} to {@code file} atomically: a failure leaves no partial file. */
  public static <T> void writeAll(Path file, RecordFormat<T> format, Iterable<T> pairs) throws IOException {
    AtomicFiles.write(file, tmp -> {
      try (RecordWriter<T> w = format.writer(tmp)) {
        for (T p : pairs) {
          w.write(p);
        }
      }
    });
  }
}

package org.genderalign.core.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

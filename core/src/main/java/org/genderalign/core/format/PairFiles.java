package org.genderalign.core.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.io.AtomicFiles;

/** Whole-file convenience over the streaming readers and writers of preference pairs. */
public final class PairFiles {

  private PairFiles() {}

  /**
   * Every pair of {@code file}, failing fast: the first bad record throws its
   * {@link org.genderalign.core.error.InvalidInputException}.
   */
  public static List<PreferencePair> readAll(Path file, RecordFormat<PreferencePair> format) throws IOException {
    List<PreferencePair> out = new ArrayList<>();
    try (RecordReader<PreferencePair> r = format.reader(file)) {
      PreferencePair p;
      while ((p = r.next()) != null) {
        out.add(p);
      }
    }
    return out;
  }

  /** Writes {@code pairs} to {@code file} atomically: a failure leaves no partial file. */
  public static void writeAll(Path file, RecordFormat<PreferencePair> format, Iterable<PreferencePair> pairs)
      throws IOException {
    AtomicFiles.write(file, tmp -> {
      try (RecordWriter<PreferencePair> w = format.writer(tmp)) {
        for (PreferencePair p : pairs) {
          w.write(p);
        }
      }
    });
  }
}

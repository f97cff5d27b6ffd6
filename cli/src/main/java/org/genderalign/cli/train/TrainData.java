package org.genderalign.cli.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.genderalign.cli.BadUsageException;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.data.SftExample;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.PairFiles;
import org.genderalign.core.format.RecordReader;

/** Reading training data and splitting off held-out examples. */
final class TrainData {

  private TrainData() {}

  /** Every pair of {@code file}; an empty file is an error ({@code no pairs in FILE}). */
  static List<PreferencePair> pairs(Path file, String format) throws IOException {
    List<PreferencePair> all;
    try {
      all = PairFiles.readAll(file, Formats.pairs(format));
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
    if (all.isEmpty()) {
      throw InvalidInputException.empty(file, "pairs");
    }
    return all;
  }

  static List<SftExample> sft(Path file, String format) throws IOException {
    List<SftExample> out = new ArrayList<>();
    try (RecordReader<SftExample> r = Formats.sft(format).reader(file)) {
      SftExample e;
      while ((e = r.next()) != null) {
        out.add(e);
      }
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
    if (out.isEmpty()) {
      throw InvalidInputException.empty(file, "examples");
    }
    return out;
  }

  /** A seeded split: the last ⌈fraction·n⌉ of a shuffled copy are held out. */
  static <T> List<List<T>> split(List<T> all, double fraction, long seed) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new BadUsageException("--eval-fraction must be in [0, 1), got " + fraction);
    }
    List<T> shuffled = new ArrayList<>(all);
    Collections.shuffle(shuffled, new Random(seed));
    int held = (int) Math.ceil(fraction * all.size());
    return List.of(shuffled.subList(0, all.size() - held), shuffled.subList(all.size() - held, all.size()));
  }
}

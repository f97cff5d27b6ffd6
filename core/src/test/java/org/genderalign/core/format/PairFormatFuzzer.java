package org.genderalign.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.data.SftExample;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.testing.FuzzFiles;

/**
 * Fuzz targets of every record format's reader (run by {@link FormatFuzzCampaignTest}, one
 * child JVM each; not picked up by surefire on its own: the class name does not end in Test).
 *
 * <p>Contract: whatever the bytes, a reader either returns records or throws
 * {@link InvalidInputException}; after a recoverable one it goes on, after an unrecoverable one
 * it is done. No other exception, no hang, no huge allocation. Every record read also survives
 * the project's own writer: written and read back it is equal (round trip is identity).
 */
class PairFormatFuzzer {

  @FuzzTest
  void genderalign(byte[] data) throws IOException {
    pairs(new GenderAlignFormat(), "in.json", data);
  }

  @FuzzTest
  void hh(byte[] data) throws IOException {
    pairs(new HhFormat(), "in.jsonl", data);
  }

  @FuzzTest
  void trl(byte[] data) throws IOException {
    pairs(new TrlFormat(), "in.jsonl", data);
  }

  @FuzzTest
  void csv(byte[] data) throws IOException {
    pairs(new CsvFormat(), "in.csv", data);
  }

  @FuzzTest
  void alpaca(byte[] data) throws IOException {
    List<SftExample> read = drain(new AlpacaFormat(), FuzzFiles.write("in.json", data));
    roundTrip(new AlpacaFormat(), read);
  }

  @FuzzTest
  void trlChosen(byte[] data) throws IOException {
    List<SftExample> read = drain(new TrlChosenFormat(), FuzzFiles.write("in.jsonl", data));
    roundTrip(new AlpacaFormat(), read);
  }

  /** Gzip framing (truncated, corrupt, concatenated members) in front of a JSON reader. */
  @FuzzTest
  void gzip(byte[] data) throws IOException {
    drain(new TrlFormat(), FuzzFiles.write("in.jsonl.gz", data));
  }

  private static void pairs(RecordFormat<PreferencePair> format, String name, byte[] data) throws IOException {
    List<PreferencePair> read = drain(format, FuzzFiles.write(name, data));
    roundTrip(new TrlFormat(), read);
    roundTrip(new CsvFormat(), read);
  }

  /** Reads every record the way {@code --on-error skip} does. */
  static <T> List<T> drain(RecordFormat<T> format, Path file) throws IOException {
    List<T> out = new ArrayList<>();
    try (RecordReader<T> r = format.reader(file)) {
      while (true) {
        try {
          T t = r.next();
          if (t == null) {
            break;
          }
          out.add(t);
        } catch (InvalidInputException e) {
          if (!e.recoverable()) {
            // the reader must be finished now
            assertThat(r.next()).as("next() after an unrecoverable error").isNull();
            break;
          }
        }
      }
    } catch (InvalidInputException e) {
      // the file as a whole is bad (wrong root type, bad header): a clear error, fine
    }
    return out;
  }

  private static <T> void roundTrip(RecordFormat<T> format, List<T> records) throws IOException {
    if (records.isEmpty()) {
      return;
    }
    Path f = FuzzFiles.dir().resolve("round-trip." + format.name());
    try (RecordWriter<T> w = format.writer(f)) {
      for (T t : records) {
        w.write(t);
      }
    }
    List<T> back = new ArrayList<>();
    try (RecordReader<T> r = format.reader(f)) {
      for (T t; (t = r.next()) != null; ) {
        back.add(t);
      }
    }
    assertThat(back).as("written by %s and read back", format.name()).isEqualTo(records);
  }
}

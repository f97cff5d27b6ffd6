package org.genderalign.cli.taxonomy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.genderalign.cli.BadUsageException;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.format.ErrorPolicy;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.RecordReader;

/**
 * Streams preference pairs from a file for the taxonomy commands. With {@link ErrorPolicy#SKIP}
 * a recoverable bad record is written to the rejects file ({@code {"line"|"item", "reason",
 * "raw"}} per line, as {@code dataset import} does) and counted instead of ending the run.
 */
final class PairInput implements Iterator<PreferencePair>, AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RecordReader<PreferencePair> reader;
  private final ErrorPolicy policy;
  private final Path rejectsPath;
  private BufferedWriter rejects;
  private PreferencePair pending;
  private boolean done;
  private long read;
  private long skipped;
  private final ProgressBar bar;

  /**
   * @param rejectsPath where bad records go (with {@code skip}): a batch's temporary file, see
   *     {@link Outputs#rejects}
   */
  PairInput(String format, Path in, ErrorPolicy policy, Path rejectsPath, String task) throws IOException {
    if (!Files.isRegularFile(in)) {
      throw new BadUsageException("--in " + in + ": no such file");
    }
    if (!Formats.pairFormatNames().contains(format)) {
      throw new BadUsageException("unknown --format '" + format + "'; known: "
          + String.join(", ", Formats.pairFormatNames()));
    }
    this.reader = Formats.pairs(format).reader(in);
    this.policy = policy;
    this.rejectsPath = rejectsPath;
    this.bar = System.console() == null ? null
        : new ProgressBarBuilder().setTaskName(task).setInitialMax(-1).setUnit(" pairs", 1)
            .setUpdateIntervalMillis(500).setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
  }

  static ErrorPolicy policy(String onError) {
    return switch (onError.toLowerCase(Locale.ROOT)) {
      case "fail" -> ErrorPolicy.FAIL;
      case "skip" -> ErrorPolicy.SKIP;
      default -> throw new BadUsageException("--on-error must be fail or skip, not '" + onError + "'");
    };
  }

  @Override
  public boolean hasNext() {
    while (pending == null && !done) {
      try {
        pending = reader.next();
        if (pending == null) {
          done = true;
        } else {
          read++;
        }
      } catch (InvalidInputException e) {
        if (policy != ErrorPolicy.SKIP || !e.recoverable()) {
          throw e;
        }
        reject(e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (bar != null) {
        bar.stepTo(read + skipped);
      }
    }
    return pending != null;
  }

  @Override
  public PreferencePair next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    PreferencePair p = pending;
    pending = null;
    return p;
  }

  private void reject(InvalidInputException e) {
    skipped++;
    try {
      if (rejects == null) {
        rejects = Files.newBufferedWriter(rejectsPath, StandardCharsets.UTF_8);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put(e.unit() == InvalidInputException.Unit.ITEM ? "item" : "line", e.position());
      m.put("reason", e.getMessage());
      m.put("raw", e.rawText());
      rejects.write(JSON.writeValueAsString(m));
      rejects.write('\n');
    } catch (IOException io) {
      throw new UncheckedIOException(io);
    }
  }

  long read() {
    return read;
  }

  long skipped() {
    return skipped;
  }

  /** The file the rejects were written to if anything was skipped, else null. */
  Path rejectsPath() {
    return skipped > 0 ? rejectsPath : null;
  }

  @Override
  public void close() throws IOException {
    try {
      reader.close();
      if (rejects != null) {
        rejects.close();
      }
    } finally {
      if (bar != null) {
        bar.close();
      }
    }
  }
}

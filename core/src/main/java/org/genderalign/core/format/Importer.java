package org.genderalign.core.format;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.io.AtomicFiles;

/**
 * Converts a file from one format to another, streaming record by record, with an
 * {@link ErrorPolicy}:
 * <ul>
 *   <li>{@link ErrorPolicy#FAIL}: the first bad record throws its {@link InvalidInputException}
 *       and nothing is left at the output path (output goes to a temporary file that is renamed
 *       only on success);</li>
 *   <li>{@link ErrorPolicy#SKIP}: each bad record is written to {@code <out>.rejects.jsonl} as
 *       {@code {"line"|"item": n, "reason": "…", "raw": "…"}} and counted; an unrecoverable error
 *       (truncated gzip, a top-level JSON value of the wrong type, broken JSON inside an array)
 *       still fails the whole import, again leaving nothing behind.</li>
 * </ul>
 * A stale rejects file from an earlier run is removed when the new import skips nothing. An
 * input without a single record is an error ({@code no pairs in FILE}) that writes nothing.
 * Imported pairs carrying a flag of {@link #WARNING_FLAGS} (e.g. HH's {@code prompt_mismatch})
 * are counted in {@link ImportResult#flagged()} so the caller can report them.
 */
public final class Importer {

  /** Suffix of the rejects file, appended to the output path. */
  public static final String REJECTS_SUFFIX = ".rejects.jsonl";
  /** Boolean metadata flags that an import counts and reports. */
  public static final Set<String> WARNING_FLAGS = Set.of(HhFormat.PROMPT_MISMATCH);

  private Importer() {}

  /** Where the rejects of an import into {@code out} go. */
  public static Path rejectsPath(Path out) {
    return out.resolveSibling(out.getFileName() + REJECTS_SUFFIX);
  }

  /** {@link #run(RecordFormat, Path, RecordFormat, Path, ErrorPolicy, LongConsumer)} without progress. */
  public static <T> ImportResult run(RecordFormat<T> inFormat, Path in, RecordFormat<T> outFormat, Path out,
      ErrorPolicy policy) throws IOException {
    return run(inFormat, in, outFormat, out, policy, n -> { });
  }

  /**
   * Reads {@code in} with {@code inFormat} and writes every good record to {@code out} with
   * {@code outFormat}.
   *
   * @param progress called with the number of records read so far, after each record
   * @throws InvalidInputException for the first bad record (FAIL) or an unrecoverable one (SKIP)
   */
  public static <T> ImportResult run(RecordFormat<T> inFormat, Path in, RecordFormat<T> outFormat, Path out,
      ErrorPolicy policy, LongConsumer progress) throws IOException {
    try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
      ImportResult r = run(inFormat, in, outFormat, out, policy, progress, batch);
      batch.commit();
      return r;
    }
  }

  /**
   * As {@link #run(RecordFormat, Path, RecordFormat, Path, ErrorPolicy, LongConsumer)}, but the
   * output and the rejects file are only staged in {@code batch}: they appear when the caller
   * commits it, together with whatever else it adds (a provenance file), or not at all.
   */
  public static <T> ImportResult run(RecordFormat<T> inFormat, Path in, RecordFormat<T> outFormat, Path out,
      ErrorPolicy policy, LongConsumer progress, AtomicFiles.Batch batch) throws IOException {
    if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("input and output are the same file: " + in);
    }
    Path rejects = rejectsPath(out);
    long[] counts = new long[2];
    Map<String, Long> flagged = new LinkedHashMap<>();
    Path tmpOut = batch.add(out);
    Path tmpRejects = policy == ErrorPolicy.SKIP ? batch.add(rejects) : null;
    try {
      copy(inFormat, in, outFormat, tmpOut, tmpRejects, progress, counts, flagged);
    } catch (IOException e) {
      throw AtomicFiles.asOutputFailure(e, out, tmpOut);
    }
    if (counts[0] + counts[1] == 0) {
      throw InvalidInputException.empty(in, Formats.pairFormatNames().contains(inFormat.name())
          ? "pairs" : "examples");
    }
    if (tmpRejects != null && counts[1] == 0) {
      batch.discard(rejects);
    }
    if (counts[1] == 0) {
      batch.deleteOnCommit(rejects); // stale, from an earlier run
    }
    return new ImportResult(counts[0], counts[1], counts[1] > 0 ? rejects : null, flagged);
  }

  private static <T> void copy(RecordFormat<T> inFormat, Path in, RecordFormat<T> outFormat, Path tmpOut,
      Path tmpRejects, LongConsumer progress, long[] counts, Map<String, Long> flagged) throws IOException {
    try (RecordReader<T> reader = inFormat.reader(in);
         RecordWriter<T> writer = outFormat.writer(tmpOut);
         RejectsWriter rej = tmpRejects == null ? null : new RejectsWriter(tmpRejects)) {
      while (true) {
        T rec;
        try {
          rec = reader.next();
        } catch (InvalidInputException e) {
          if (rej == null || !e.recoverable()) {
            throw e;
          }
          rej.write(e);
          counts[1]++;
          progress.accept(counts[0] + counts[1]);
          continue;
        }
        if (rec == null) {
          break;
        }
        writer.write(rec);
        counts[0]++;
        if (rec instanceof PreferencePair p) {
          for (String flag : WARNING_FLAGS) {
            if (Boolean.TRUE.equals(p.metadata().get(flag))) {
              flagged.merge(flag, 1L, Long::sum);
            }
          }
        }
        progress.accept(counts[0] + counts[1]);
      }
    }
  }

  /** {@code {"line"|"item": n, "reason": "…", "raw": "…"}} per bad record. */
  private static final class RejectsWriter implements AutoCloseable {
    private final JsonGenerator gen;

    RejectsWriter(Path file) throws IOException {
      gen = JsonSupport.MAPPER.getFactory().createGenerator(new BufferedWriter(
          new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8)));
      gen.setRootValueSeparator(null);
    }

    void write(InvalidInputException e) throws IOException {
      gen.writeStartObject();
      gen.writeNumberField(e.unit() == InvalidInputException.Unit.ITEM ? "item" : "line", e.position());
      gen.writeStringField("reason", e.getMessage());
      gen.writeStringField("raw", e.rawText());
      gen.writeEndObject();
      gen.writeRaw('\n');
    }

    @Override
    public void close() throws IOException {
      gen.close();
    }
  }
}

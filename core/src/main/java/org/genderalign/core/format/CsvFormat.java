package org.genderalign.core.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.error.InvalidInputException;

/**
 * Preference pairs as RFC 4180 CSV (Apache Commons CSV) with a header row. Required columns
 * {@code prompt, chosen, rejected}; optional {@code id} (default {@code <file-stem>-<line>}),
 * {@code category}, {@code source} (default {@value #DEFAULT_SOURCE}), {@code seed_id} (an empty
 * cell is null) and {@code metadata} (a JSON object, or empty). Any other column becomes a
 * metadata entry with its cell text. Every row must have exactly as many cells as the header.
 *
 * <p>The writer writes all eight columns {@link #HEADER} with {@code \n} line ends; metadata is
 * one JSON-object cell, so read → write → read keeps it. An unbalanced quote swallows the
 * rest of the file and so ends reading (not recoverable); a row of the wrong width is recoverable.
 */
public final class CsvFormat implements RecordFormat<PreferencePair> {

  /** Format name. */
  public static final String NAME = "csv";
  /** Source recorded when the file has no {@code source} column or an empty cell. */
  public static final String DEFAULT_SOURCE = "csv";
  /** The columns the writer writes, in order. */
  public static final List<String> HEADER =
      List.of("id", "prompt", "chosen", "rejected", "category", "source", "seed_id", "metadata");

  private static final Set<String> KNOWN = Set.copyOf(HEADER);
  private static final Pattern START_LINE = Pattern.compile("\\(startline ([0-9,]+)\\)");

  private static final CSVFormat READ = CSVFormat.DEFAULT.builder()
      .setHeader()
      .setSkipHeaderRecord(true)
      .setIgnoreEmptyLines(true)
      .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
      .build();
  private static final CSVFormat WRITE = CSVFormat.DEFAULT.builder()
      .setRecordSeparator("\n")
      .setHeader(HEADER.toArray(String[]::new))
      .build();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public RecordReader<PreferencePair> reader(Path file) throws IOException {
    InputFiles.Sniffed sniffed = InputFiles.sniff(InputFiles.openBytes(file));
    if (sniffed.shape() == InputFiles.JsonShape.EMPTY) {
      sniffed.in().close();
      return new RecordReader<>() {
        @Override
        public PreferencePair next() {
          return null; // a blank file has no header and no rows: zero pairs, not an error
        }

        @Override
        public void close() {}
      };
    }
    Reader in = new StrictUtf8Reader(sniffed.in());
    CSVParser parser;
    try {
      parser = READ.parse(in);
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      in.close();
      throw fatal(file, 1, e);
    }
    List<String> header = parser.getHeaderNames();
    if (!header.isEmpty()) {
      for (String required : List.of("prompt", "chosen", "rejected")) {
        if (!header.contains(required)) {
          parser.close();
          throw InvalidInputException.ofFile(file, "CSV header must have the columns prompt, chosen, "
              + "rejected (optional: id, category, source, seed_id, metadata); found " + header);
        }
      }
    }
    String stem = InputFiles.stem(file);
    Iterator<CSVRecord> rows = parser.iterator();
    return new RecordReader<>() {
      private boolean done = header.isEmpty();

      @Override
      public PreferencePair next() throws IOException {
        if (done) {
          return null;
        }
        long line = parser.getCurrentLineNumber() + 1;
        CSVRecord rec;
        try {
          if (!rows.hasNext()) {
            done = true;
            return null;
          }
          rec = rows.next();
        } catch (UncheckedIOException | IllegalStateException e) {
          done = true;
          throw fatal(file, line, e);
        }
        if (rec.size() != header.size()) {
          throw InvalidInputException.atLine(file, line, null, "expected " + header.size()
                  + " cells (header: " + String.join(",", header) + "), got " + rec.size())
              .withRawText(READ.format((Object[]) rec.values()));
        }
        try {
          return toPair(rec, stem + "-" + line);
        } catch (RecordProblem p) {
          throw InvalidInputException.atLine(file, line, p.field(), p.problem())
              .withRawText(READ.format((Object[]) rec.values()));
        }
      }

      @Override
      public void close() throws IOException {
        done = true;
        parser.close();
      }
    };
  }

  private static InvalidInputException fatal(Path file, long line, Exception e) {
    Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
    if (cause instanceof CharacterCodingException) {
      return InvalidInputException.atLine(file, line, null, "invalid UTF-8 (malformed byte sequence)")
          .unrecoverable().withCause(e);
    }
    String msg = String.valueOf(cause.getMessage());
    if (msg.contains("EOF reached before encapsulated token finished")) {
      Matcher m = START_LINE.matcher(msg);
      long start = m.find() ? Long.parseLong(m.group(1).replace(",", "")) : line;
      return InvalidInputException.atLine(file, start, null,
              "unbalanced quote: the quoted cell that starts here is never closed")
          .unrecoverable().withCause(e);
    }
    return InvalidInputException.atLine(file, line, null, "invalid CSV (" + msg.replace('\n', ' ') + ")")
        .unrecoverable().withCause(e);
  }

  private static PreferencePair toPair(CSVRecord rec, String fallbackId) throws RecordProblem {
    Map<String, String> cells = rec.toMap();
    String id = blankToNull(cells.get("id"));
    String source = blankToNull(cells.get("source"));
    Map<String, Object> meta = new LinkedHashMap<>();
    String metaJson = cells.get("metadata");
    if (metaJson != null && !metaJson.isBlank()) {
      JsonNode n;
      try {
        n = JsonSupport.MAPPER.readTree(metaJson);
      } catch (JsonProcessingException e) {
        throw new RecordProblem("metadata", "invalid JSON (" + JsonSupport.describe(e) + ")");
      }
      if (!n.isObject()) {
        throw new RecordProblem("metadata", "expected a JSON object, got " + JsonSupport.typeName(n));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        meta.put(e.getKey(), JsonSupport.toJava(e.getValue()));
      }
    }
    for (Map.Entry<String, String> e : cells.entrySet()) {
      if (!KNOWN.contains(e.getKey())) {
        meta.put(e.getKey(), e.getValue());
      }
    }
    return new PreferencePair(id == null ? fallbackId : id, cells.get("prompt"), cells.get("chosen"),
        cells.get("rejected"), blankToNull(cells.get("category")),
        source == null ? DEFAULT_SOURCE : source, blankToNull(cells.get("seed_id")), meta);
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  @Override
  public RecordWriter<PreferencePair> writer(Path file) throws IOException {
    CSVPrinter printer = new CSVPrinter(new BufferedWriter(
        new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), InputFiles.BUFFER), WRITE);
    return new RecordWriter<>() {
      @Override
      public void write(PreferencePair p) throws IOException {
        String meta = p.metadata().isEmpty() ? "" : JsonSupport.MAPPER.writeValueAsString(p.metadata());
        printer.printRecord(p.id(), p.prompt(), p.chosen(), p.rejected(),
            nullToEmpty(p.category()), nullToEmpty(p.source()), nullToEmpty(p.seedId()), meta);
      }

      @Override
      public void close() throws IOException {
        printer.close(true);
      }
    };
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}

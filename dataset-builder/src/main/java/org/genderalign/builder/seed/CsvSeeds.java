package org.genderalign.builder.seed;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.genderalign.core.error.InvalidInputException;

/** CSV reading shared by the seed loaders: UTF-8 with an optional BOM, RFC 4180 quoting. */
final class CsvSeeds {

  private CsvSeeds() {}

  /** Streams records of a CSV file; {@code header} true = the first row names the columns. */
  static void forEach(Path file, boolean header, Consumer<CSVRecord> action) throws IOException {
    CSVFormat fmt = header
        ? CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
        : CSVFormat.RFC4180;
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Reader in = skipBom(r);
      try (CSVParser p = CSVParser.parse(in, fmt)) {
        for (CSVRecord rec : p) {
          action.accept(rec);
        }
      } catch (java.io.UncheckedIOException e) {
        throw InvalidInputException.ofFile(file, "malformed CSV: " + e.getCause().getMessage());
      }
    }
  }

  private static Reader skipBom(Reader r) throws IOException {
    java.io.PushbackReader pb = new java.io.PushbackReader(r, 1);
    int c = pb.read();
    if (c != -1 && c != '\uFEFF') {
      pb.unread(c);
    }
    return pb;
  }

  /** A column value, or throws a one-line error naming file, line and column. */
  static String get(Path file, CSVRecord rec, String column) {
    if (!rec.isMapped(column) || !rec.isSet(column)) {
      throw InvalidInputException.atLine(file, rec.getRecordNumber() + 1, column,
          "missing column '" + column + "'");
    }
    return rec.get(column);
  }
}

package org.genderalign.eval.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.genderalign.core.error.InvalidInputException;

/** RFC-4180 CSV and TSV with a header row, through Commons CSV, as maps of column → value. */
final class Csv {

  private Csv() {}

  /** A row with the line it started on (for messages). */
  record Row(long line, Map<String, String> values, Path file) {
    String get(String column) {
      String v = values.get(column);
      if (v == null) {
        throw InvalidInputException.atLine(file, line, column, "missing column '" + column + "'");
      }
      return v;
    }
  }

  static List<Row> readCsv(Path file) throws IOException {
    return read(file, CSVFormat.RFC4180);
  }

  static List<Row> readTsv(Path file) throws IOException {
    return read(file, CSVFormat.TDF);
  }

  private static List<Row> read(Path file, CSVFormat base) throws IOException {
    CSVFormat fmt = base.builder().setHeader().setSkipHeaderRecord(true)
        .setAllowMissingColumnNames(true).build();
    List<Row> out = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        CSVParser p = CSVParser.parse(r, fmt)) {
      for (CSVRecord rec : p) {
        if (!rec.isConsistent()) {
          throw InvalidInputException.atLine(file, rec.getParser().getCurrentLineNumber(), null,
              "expected " + p.getHeaderNames().size() + " columns, found " + rec.size());
        }
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < rec.size(); i++) {
          String name = i < p.getHeaderNames().size() ? p.getHeaderNames().get(i) : "";
          m.put(name, rec.get(i));
        }
        out.add(new Row(rec.getParser().getCurrentLineNumber(), m, file));
      }
    } catch (IllegalStateException | java.io.UncheckedIOException e) {
      throw InvalidInputException.ofFile(file, "not valid CSV: " + e.getMessage());
    }
    return out;
  }
}

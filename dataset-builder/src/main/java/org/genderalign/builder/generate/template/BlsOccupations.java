package org.genderalign.builder.generate.template;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.genderalign.core.error.InvalidInputException;

/**
 * US Bureau of Labor Statistics, Current Population Survey 2022, table 11: the percentage of
 * women among employed persons per occupation. Rows without an estimate ("–", too few
 * respondents) are left out.
 */
public final class BlsOccupations {

  private final Map<String, String> percentWomen;

  private BlsOccupations(Map<String, String> percentWomen) {
    this.percentWomen = Collections.unmodifiableMap(percentWomen);
  }

  /** Reads {@code cpsaat11_2022.csv} (BOM, quoted titles, thousands separators). */
  public static BlsOccupations read(Path csv) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
        CSVParser p = CSVParser.parse(r, CSVFormat.RFC4180)) {
      boolean header = true;
      for (CSVRecord rec : p) {
        if (header) {
          header = false;
          continue;
        }
        if (rec.size() < 3) {
          throw InvalidInputException.atLine(csv, rec.getRecordNumber(), "Women", "expected at least 3 columns");
        }
        String pct = rec.get(2).trim();
        if (pct.matches("\\d+(\\.\\d+)?")) {
          m.put(rec.get(0).replace("\uFEFF", "").trim(), pct);
        }
      }
    }
    if (m.isEmpty()) {
      throw InvalidInputException.ofFile(csv, "no occupation rows with a percentage of women");
    }
    return new BlsOccupations(m);
  }

  /** Percentage of women (as printed by BLS, e.g. {@code 29.2}) or null when not published. */
  public String percentWomen(String occupation) {
    return percentWomen.get(occupation);
  }

  public int size() {
    return percentWomen.size();
  }
}

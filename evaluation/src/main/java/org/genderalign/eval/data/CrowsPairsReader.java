package org.genderalign.eval.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code crows_pairs_anonymized.csv} (header with an unnamed first column = row index;
 * sentences contain commas and quotes, hence RFC-4180).
 */
public final class CrowsPairsReader {

  private CrowsPairsReader() {}

  /** Every row of the file. */
  public static List<CrowsPair> readAll(Path file) throws IOException {
    List<CrowsPair> out = new ArrayList<>();
    for (Csv.Row r : Csv.readCsv(file)) {
      out.add(new CrowsPair(r.get(""), r.get("sent_more"), r.get("sent_less"),
          r.get("stereo_antistereo"), r.get("bias_type")));
    }
    return out;
  }

  /** The gender rows ({@code bias_type} starting with {@code gender}; 262 in the original file). */
  public static List<CrowsPair> readGender(Path file) throws IOException {
    return readAll(file).stream().filter(p -> p.biasType().startsWith("gender")).toList();
  }
}

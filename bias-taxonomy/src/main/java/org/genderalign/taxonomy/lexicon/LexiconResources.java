package org.genderalign.taxonomy.lexicon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the project-authored lexicons shipped under
 * {@code org/genderalign/taxonomy/lexicons/}. Each file starts with {@code # key: value}
 * header lines (name, description, source, licence) and then holds one term a line.
 */
public final class LexiconResources {

  /** Resource folder of the shipped lists. */
  public static final String BASE = "/org/genderalign/taxonomy/lexicons/";

  private LexiconResources() {}

  /** Loads one shipped list by file name, e.g. {@code lgbtq_terms.txt}. */
  public static Lexicon load(String fileName) {
    Parsed p = parse(fileName);
    List<String> terms = new ArrayList<>();
    for (String[] row : p.rows) {
      terms.add(row[row.length - 1]);
    }
    return new Lexicon(p.header.getOrDefault("name", fileName), p.header.getOrDefault("description", ""),
        require(p.header, "source", fileName), p.header.getOrDefault("licence", "Apache-2.0"), terms);
  }

  /** Loads a list of {@code kind<TAB>phrase} rows grouped by kind, each kind as one lexicon. */
  public static Map<String, Lexicon> loadKinds(String fileName) {
    Parsed p = parse(fileName);
    Map<String, List<String>> byKind = new java.util.LinkedHashMap<>();
    for (String[] row : p.rows) {
      if (row.length != 2) {
        throw new IllegalStateException(fileName + ": expected 'kind<TAB>phrase', got '"
            + String.join("\t", row) + "'");
      }
      byKind.computeIfAbsent(row[0], k -> new ArrayList<>()).add(row[1]);
    }
    Map<String, Lexicon> out = new java.util.LinkedHashMap<>();
    String src = require(p.header, "source", fileName);
    byKind.forEach((k, v) -> out.put(k, new Lexicon(p.header.getOrDefault("name", "cues") + "." + k,
        p.header.getOrDefault("description", ""), src, p.header.getOrDefault("licence", "Apache-2.0"), v)));
    return out;
  }

  private record Parsed(Map<String, String> header, List<String[]> rows) {}

  private static Parsed parse(String fileName) {
    Map<String, String> header = new HashMap<>();
    List<String[]> rows = new ArrayList<>();
    try (InputStream in = LexiconResources.class.getResourceAsStream(BASE + fileName)) {
      if (in == null) {
        throw new IllegalStateException("missing shipped lexicon " + BASE + fileName);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("#")) {
          int colon = line.indexOf(':');
          if (colon > 0) {
            header.put(line.substring(1, colon).trim(), line.substring(colon + 1).trim());
          }
          continue;
        }
        if (line.isBlank()) {
          continue;
        }
        rows.add(line.strip().split("\t"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Parsed(header, rows);
  }

  private static String require(Map<String, String> header, String key, String file) {
    String v = header.get(key);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(BASE + file + " has no '# " + key + ":' header line");
    }
    return v;
  }
}

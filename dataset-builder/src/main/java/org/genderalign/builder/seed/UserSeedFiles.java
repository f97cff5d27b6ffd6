package org.genderalign.builder.seed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.genderalign.core.error.InvalidInputException;

/**
 * Seeds from a user's own file, chosen by extension: {@code .txt} (one seed a line; blank lines
 * and lines starting with {@code #} are skipped), {@code .csv} (header row with a {@code text}
 * column, optional {@code id} and {@code category}), {@code .jsonl} (one object a line with
 * {@code text}, optional {@code id} and {@code category}). A malformed row ends loading with a
 * one-line error naming file, line and field.
 */
public final class UserSeedFiles {

  private static final ObjectMapper JSON = new ObjectMapper();

  private UserSeedFiles() {}

  /** Loads one file; seed ids are {@code user-<file name>-<line>} unless the file gives ids. */
  public static List<Seed> load(Path file) throws IOException {
    String name = file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    String source = "user:" + name;
    if (!Files.isRegularFile(file)) {
      throw InvalidInputException.ofFile(file, "seed file not found");
    }
    if (lower.endsWith(".txt")) {
      return loadText(file, source);
    } else if (lower.endsWith(".csv")) {
      return loadCsv(file, source);
    } else if (lower.endsWith(".jsonl")) {
      return loadJsonl(file, source);
    }
    throw InvalidInputException.ofFile(file, "unsupported seed file type; expected .txt, .csv or .jsonl");
  }

  private static String idPrefix(Path file) {
    return "user-" + file.getFileName().toString().replaceAll("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9_-]", "_");
  }

  private static List<Seed> loadText(Path file, String source) throws IOException {
    List<Seed> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      long n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        String t = n == 1 ? line.replace("\uFEFF", "") : line;
        if (t.isBlank() || t.stripLeading().startsWith("#")) {
          continue;
        }
        out.add(new Seed(idPrefix(file) + "-" + n, source, t, null));
      }
    } catch (NoSuchFileException e) {
      throw InvalidInputException.ofFile(file, "seed file not found");
    }
    return out;
  }

  private static List<Seed> loadCsv(Path file, String source) throws IOException {
    List<Seed> out = new ArrayList<>();
    CsvSeeds.forEach(file, true, rec -> {
      long line = rec.getRecordNumber() + 1;
      String text = CsvSeeds.get(file, rec, "text");
      String id = rec.isMapped("id") && rec.isSet("id") && !rec.get("id").isBlank()
          ? "user-" + rec.get("id").trim() : idPrefix(file) + "-" + line;
      String cat = rec.isMapped("category") && rec.isSet("category") ? category(file, line, rec.get("category")) : null;
      out.add(new Seed(id, source, text, cat));
    });
    return out;
  }

  private static List<Seed> loadJsonl(Path file, String source) throws IOException {
    List<Seed> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      long n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(n == 1 ? line.replace("\uFEFF", "") : line);
        } catch (JsonProcessingException e) {
          throw InvalidInputException.atLine(file, n, null, "invalid JSON (" + e.getOriginalMessage() + ")");
        }
        if (!node.isObject()) {
          throw InvalidInputException.atLine(file, n, null, "expected a JSON object");
        }
        JsonNode text = node.get("text");
        if (text == null || !text.isTextual()) {
          throw InvalidInputException.atLine(file, n, "text", "expected a string");
        }
        JsonNode id = node.get("id");
        JsonNode cat = node.get("category");
        out.add(new Seed(id != null && !id.isNull() ? "user-" + id.asText() : idPrefix(file) + "-" + n,
            source, text.asText(), cat != null && cat.isTextual() ? category(file, n, cat.asText()) : null));
      }
    }
    return out;
  }

  private static String category(Path file, long line, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    if (!org.genderalign.builder.config.BuildConfig.CATEGORY_IDS.contains(v)) {
      throw InvalidInputException.atLine(file, line, "category", "unknown category '" + value
          + "'; expected one of " + new java.util.TreeSet<>(org.genderalign.builder.config.BuildConfig.CATEGORY_IDS));
    }
    return v;
  }
}

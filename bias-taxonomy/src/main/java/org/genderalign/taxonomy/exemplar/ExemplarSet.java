package org.genderalign.taxonomy.exemplar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.taxonomy.BiasCategory;

/**
 * A list of {@link Exemplar}s read from JSONL (one object a line with {@code id},
 * {@code question}, {@code answer}, {@code label}, {@code note}). Bad lines fail with the file,
 * line and field; ids must be unique.
 */
public final class ExemplarSet {

  /** Classpath location of the shipped exemplars. */
  public static final String SHIPPED_RESOURCE = "/org/genderalign/taxonomy/exemplars.jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Exemplar> exemplars;

  public ExemplarSet(List<Exemplar> exemplars) {
    this.exemplars = List.copyOf(exemplars);
    Set<String> ids = new HashSet<>();
    for (Exemplar e : this.exemplars) {
      if (!ids.add(e.id())) {
        throw new IllegalArgumentException("duplicate exemplar id '" + e.id() + "'");
      }
    }
  }

  /** The exemplars shipped with this module. */
  public static ExemplarSet shipped() {
    try (InputStream in = ExemplarSet.class.getResourceAsStream(SHIPPED_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + SHIPPED_RESOURCE);
      }
      return read(in, Path.of("exemplars.jsonl"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sha256 of the shipped exemplar file, for provenance records. */
  public static String shippedSha256() {
    try (InputStream in = ExemplarSet.class.getResourceAsStream(SHIPPED_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + SHIPPED_RESOURCE);
      }
      return org.genderalign.core.io.Hashing.sha256(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a JSONL file of labelled exemplars. */
  public static ExemplarSet read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file);
    }
  }

  private static ExemplarSet read(InputStream in, Path name) throws IOException {
    List<Exemplar> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    long no = 0;
    while ((line = r.readLine()) != null) {
      no++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode n;
      try {
        n = JSON.readTree(line);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw InvalidInputException.atLine(name, no, null, "invalid JSON (" + e.getOriginalMessage() + ")");
      }
      String id = text(n, "id", name, no, true);
      String answer = text(n, "answer", name, no, true);
      String labelText = text(n, "label", name, no, true);
      BiasCategory label;
      try {
        label = BiasCategory.fromId(labelText);
      } catch (IllegalArgumentException e) {
        throw InvalidInputException.atLine(name, no, "label", e.getMessage());
      }
      if (!ids.add(id)) {
        throw InvalidInputException.atLine(name, no, "id", "duplicate id '" + id + "'");
      }
      out.add(new Exemplar(id, text(n, "question", name, no, false), answer, label,
          text(n, "note", name, no, false)));
    }
    return new ExemplarSet(out);
  }

  private static String text(JsonNode n, String field, Path file, long line, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw InvalidInputException.atLine(file, line, field, "missing; expected a string");
      }
      return "";
    }
    if (!v.isTextual()) {
      throw InvalidInputException.atLine(file, line, field, "expected a string, got " + v.getNodeType());
    }
    if (required && v.asText().isBlank()) {
      throw InvalidInputException.atLine(file, line, field, "must not be empty");
    }
    return v.asText();
  }

  public List<Exemplar> all() {
    return exemplars;
  }

  public int size() {
    return exemplars.size();
  }

  /** Number of exemplars per label (every label present, zero if none). */
  public Map<BiasCategory, Integer> countsByLabel() {
    Map<BiasCategory, Integer> m = new EnumMap<>(BiasCategory.class);
    for (BiasCategory c : BiasCategory.values()) {
      m.put(c, 0);
    }
    exemplars.forEach(e -> m.merge(e.label(), 1, Integer::sum));
    return Collections.unmodifiableMap(m);
  }
}

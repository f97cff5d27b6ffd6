package org.genderalign.taxonomy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The taxonomy's definitions (display name, definition, inclusion and exclusion criteria) as
 * shipped in {@code org/genderalign/taxonomy/taxonomy.json}. Every {@link BiasCategory} has
 * exactly one definition; loading fails otherwise.
 */
public final class Taxonomy {

  /** Classpath location of the definitions. */
  public static final String RESOURCE = "/org/genderalign/taxonomy/taxonomy.json";

  private static volatile Taxonomy shipped;

  private final String version;
  private final String comment;
  private final Map<BiasCategory, CategoryDefinition> definitions;

  private Taxonomy(String version, String comment, Map<BiasCategory, CategoryDefinition> defs) {
    this.version = version;
    this.comment = comment;
    this.definitions = java.util.Collections.unmodifiableMap(new EnumMap<>(defs));
  }

  /** The shipped taxonomy (loaded once). */
  public static Taxonomy shipped() {
    Taxonomy t = shipped;
    if (t == null) {
      try (InputStream in = Taxonomy.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + RESOURCE);
        }
        t = parse(new ObjectMapper().readTree(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      }
      shipped = t;
    }
    return t;
  }

  static Taxonomy parse(JsonNode root) {
    Map<BiasCategory, CategoryDefinition> defs = new EnumMap<>(BiasCategory.class);
    for (JsonNode n : root.path("categories")) {
      BiasCategory c = BiasCategory.fromId(n.path("id").asText());
      if (defs.containsKey(c)) {
        throw new IllegalStateException("taxonomy defines '" + c.id() + "' twice");
      }
      defs.put(c, new CategoryDefinition(c, n.path("displayName").asText(c.displayName()),
          n.path("definition").asText(), strings(n.path("include")), strings(n.path("exclude"))));
    }
    for (BiasCategory c : BiasCategory.values()) {
      if (!defs.containsKey(c) || defs.get(c).definition().isBlank()) {
        throw new IllegalStateException("taxonomy has no definition for '" + c.id() + "'");
      }
    }
    return new Taxonomy(root.path("version").asText("?"), root.path("comment").asText(""), defs);
  }

  private static List<String> strings(JsonNode arr) {
    List<String> out = new ArrayList<>();
    arr.forEach(n -> out.add(n.asText()));
    return out;
  }

  public CategoryDefinition definition(BiasCategory c) {
    return definitions.get(c);
  }

  /** All definitions in {@link BiasCategory} order. */
  public List<CategoryDefinition> definitions() {
    return List.copyOf(definitions.values());
  }

  public String version() {
    return version;
  }

  /** The general labelling rule (the answer carries the label; precedence between categories). */
  public String comment() {
    return comment;
  }

  /** A plain-text rendering for people (the CLI's {@code taxonomy describe}). */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append("GenderAlign bias taxonomy v").append(version).append("\n");
    sb.append(comment).append("\n");
    for (CategoryDefinition d : definitions.values()) {
      sb.append("\n").append(d.category().id()).append(" - ").append(d.displayName()).append("\n");
      sb.append("  ").append(d.definition()).append("\n");
      if (!d.include().isEmpty()) {
        sb.append("  includes:\n");
        d.include().forEach(s -> sb.append("    + ").append(s).append("\n"));
      }
      if (!d.exclude().isEmpty()) {
        sb.append("  excludes:\n");
        d.exclude().forEach(s -> sb.append("    - ").append(s).append("\n"));
      }
    }
    return sb.toString();
  }
}

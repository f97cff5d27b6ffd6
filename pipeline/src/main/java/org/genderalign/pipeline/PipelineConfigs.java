package org.genderalign.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.io.Hashing;

/**
 * Reads a {@link PipelineConfig} from YAML or JSON (YAML is a superset, so one reader), applies
 * {@code --set section.key=value} overrides on the JSON tree before binding — so an unknown key
 * is an error naming it and the valid keys — and writes the effective config.
 *
 * <p>Order: the file (or a named preset: {@code default}, {@code paper}), then each override in
 * turn, then the top-level {@code seed} fills {@code build.seed}, {@code base.seed} and
 * {@code dpo.seed} where they are still unset, then binding and validation.
 */
public final class PipelineConfigs {

  /** Presets selectable by name instead of a file ({@code --config paper}). */
  public static final List<String> PRESETS = List.of("default", "paper");
  /** The sections whose seed defaults to the top-level seed. */
  static final List<String> SEEDED_SECTIONS = List.of("build", "base", "dpo");

  private static final ObjectMapper YAML = YAMLMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .build();
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  /** Sorted keys, no white space: the canonical form that config hashes are taken over. */
  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private PipelineConfigs() {}

  /**
   * The config of {@code source} (a file, a preset name, or null for the default) with
   * {@code overrides} ({@code path.to.key=value}) applied.
   *
   * @throws PipelineConfigException naming the file or override, the key and what was expected
   */
  public static PipelineConfig load(String source, List<String> overrides) {
    ObjectNode tree = source == null ? JsonNodeFactory.instance.objectNode() : readTree(source);
    for (String o : overrides == null ? List.<String>of() : overrides) {
      set(tree, o);
    }
    return bind(tree, source == null ? "the default config" : source);
  }

  /** The config of a file or preset without overrides. */
  public static PipelineConfig load(String source) {
    return load(source, List.of());
  }

  private static ObjectNode readTree(String source) {
    JsonNode node;
    try {
      if (PRESETS.contains(source) && !Files.exists(Path.of(source))) {
        if (source.equals("default")) {
          return JsonNodeFactory.instance.objectNode();
        }
        try (InputStream in = PipelineConfigs.class.getResourceAsStream(source + ".yaml")) {
          node = YAML.readTree(in);
        }
      } else {
        node = YAML.readTree(Files.readString(Path.of(source)));
      }
    } catch (NoSuchFileException e) {
      throw new PipelineConfigException("config file " + source + " not found (or give a preset: "
          + String.join(", ", PRESETS) + ")");
    } catch (JsonProcessingException e) {
      throw new PipelineConfigException("config file " + source + " line "
          + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new PipelineConfigException("cannot read config file " + source + ": " + e.getMessage());
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      return JsonNodeFactory.instance.objectNode(); // an empty file: every default
    }
    if (!node.isObject()) {
      throw new PipelineConfigException("config file " + source + ": expected a mapping of "
          + "settings at the top, got " + node.getNodeType().toString().toLowerCase());
    }
    return (ObjectNode) node;
  }

  /** Applies one {@code a.b.c=value} override; the value is a JSON value where it parses as one. */
  static void set(ObjectNode tree, String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new PipelineConfigException("--set " + override + ": expected SECTION.KEY=VALUE, e.g. "
          + "dpo.beta=0.2");
    }
    String[] path = override.substring(0, eq).strip().split("\\.", -1);
    String raw = override.substring(eq + 1);
    ObjectNode at = tree;
    for (int i = 0; i < path.length; i++) {
      String k = path[i];
      if (k.isEmpty()) {
        throw new PipelineConfigException("--set " + override + ": empty key in '"
            + override.substring(0, eq) + "'");
      }
      if (i == path.length - 1) {
        at.set(k, value(raw));
      } else {
        JsonNode next = at.get(k);
        if (next == null || next.isNull()) {
          next = at.putObject(k);
        } else if (!next.isObject()) {
          throw new PipelineConfigException("--set " + override + ": '"
              + String.join(".", java.util.Arrays.copyOf(path, i + 1)) + "' is a value, not a "
              + "section");
        }
        at = (ObjectNode) next;
      }
    }
  }

  /** A JSON scalar, list or object where {@code raw} parses as one, else the text itself. */
  static JsonNode value(String raw) {
    try {
      JsonNode n = JSON.readTree(raw);
      if (n != null && !n.isMissingNode()) {
        return n;
      }
    } catch (JsonProcessingException e) {
      // not JSON: a plain string such as a path or a name
    }
    return JsonNodeFactory.instance.textNode(raw);
  }

  static PipelineConfig bind(ObjectNode tree, String from) {
    JsonNode seed = tree.get("seed");
    if (seed != null && seed.isIntegralNumber()) {
      for (String s : SEEDED_SECTIONS) {
        JsonNode sec = tree.get(s);
        if (sec == null || sec.isNull()) {
          tree.putObject(s).set("seed", seed);
        } else if (sec.isObject() && !sec.has("seed")) {
          ((ObjectNode) sec).set("seed", seed);
        }
      }
    }
    try {
      return YAML.treeToValue(tree, PipelineConfig.class);
    } catch (UnrecognizedPropertyException e) {
      List<String> path = path(e);
      TreeSet<String> known = new TreeSet<>();
      e.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
      String section = path.size() > 1 ? String.join(".", path.subList(0, path.size() - 1)) : null;
      throw new PipelineConfigException(from + ": unknown setting '" + String.join(".", path)
          + "' (valid " + (section == null ? "top-level keys" : "keys of " + section) + ": "
          + String.join(", ", known) + ")");
    } catch (ValueInstantiationException e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      throw new PipelineConfigException(from + ": " + c.getMessage());
    } catch (MismatchedInputException e) {
      throw new PipelineConfigException(from + ": setting '" + String.join(".", path(e))
          + "' has the wrong type (" + firstLine(e.getOriginalMessage()) + ")");
    } catch (JsonProcessingException e) {
      throw new PipelineConfigException(from + ": " + firstLine(e.getOriginalMessage()));
    } catch (IllegalArgumentException e) {
      Throwable c = e.getCause() instanceof ValueInstantiationException v && v.getCause() != null
          ? v.getCause() : e;
      throw new PipelineConfigException(from + ": " + c.getMessage());
    }
  }

  private static List<String> path(JsonMappingException e) {
    List<String> p = new ArrayList<>();
    for (JsonMappingException.Reference r : e.getPath()) {
      p.add(r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]");
    }
    return p;
  }

  private static String firstLine(String s) {
    int nl = s == null ? -1 : s.indexOf('\n');
    return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
  }

  /** The config as indented JSON, every setting included (defaults too). */
  public static String toJson(PipelineConfig c) {
    try {
      return JSON.writeValueAsString(c) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a config always serialises", e);
    }
  }

  /** The config as YAML, every setting included; {@code --config} reads it back to the same config. */
  public static String toYaml(PipelineConfig c) {
    try {
      return YAML.writeValueAsString(c);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a config always serialises", e);
    }
  }

  /** Writes {@code config.json} and {@code config.yaml} into {@code dir}, atomically. */
  public static void writeEffective(PipelineConfig c, Path dir) throws IOException {
    Files.createDirectories(dir);
    AtomicFiles.writeString(dir.resolve("config.json"), toJson(c));
    AtomicFiles.writeString(dir.resolve("config.yaml"), "# The effective config of this run: "
        + "every setting, defaults included.\n# Repeat the run with: genderalign pipeline "
        + "--config " + dir.resolve("config.yaml") + "\n" + toYaml(c));
  }

  /** sha256 of a value's canonical JSON (sorted keys, no white space): a stage's config hash. */
  public static String hash(Object section) {
    try {
      return Hashing.sha256(CANONICAL.writeValueAsString(CANONICAL.valueToTree(section)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a config always serialises", e);
    }
  }

  /** The canonical JSON of a value as a map tree (for provenance). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object section) {
    return CANONICAL.convertValue(section, Map.class);
  }
}

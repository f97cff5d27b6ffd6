package org.genderalign.builder.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.genderalign.core.error.InvalidInputException;

/** Reads and writes {@link BuildConfig} as JSON (the {@code --config} file and the provenance copy). */
public final class BuildConfigs {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private BuildConfigs() {}

  /**
   * Reads a config file; fields it does not name keep their defaults.
   *
   * @throws InvalidInputException for unreadable JSON, unknown fields or invalid values
   */
  public static BuildConfig read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw InvalidInputException.ofFile(file, "config file not found");
    } catch (IOException e) {
      throw InvalidInputException.ofFile(file, "cannot read config file: " + e.getMessage());
    }
    try {
      return MAPPER.readValue(text, BuildConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw InvalidInputException.ofFile(file, "unknown config field '" + e.getPropertyName()
          + "' (known: " + e.getKnownPropertyIds() + ")");
    } catch (ValueInstantiationException e) {
      Throwable c = e.getCause();
      throw InvalidInputException.ofFile(file, c instanceof ConfigException ce ? ce.getMessage()
          : "invalid config: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw InvalidInputException.ofFile(file, "invalid config JSON at line "
          + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": " + e.getOriginalMessage());
    }
  }

  /** The config as pretty-printed JSON with every default filled in (stable byte for byte). */
  public static String toJson(BuildConfig config) {
    try {
      return MAPPER.writeValueAsString(config) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("config is always serializable", e);
    }
  }

  /** Parses JSON text (for tests and for reading a build's own provenance copy). */
  public static BuildConfig fromJson(String json) {
    try {
      return MAPPER.readValue(json, BuildConfig.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid config JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The shared mapper settings (sorted maps, indented). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}

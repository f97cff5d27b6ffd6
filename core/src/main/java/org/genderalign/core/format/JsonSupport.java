package org.genderalign.core.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Jackson set-up and field accessors shared by the JSON formats. */
final class JsonSupport {

  /**
   * Strict about what is JSON (duplicate keys, trailing tokens are errors) but without Jackson's
   * default 20 M-character string limit: a single completion may legitimately be larger.
   */
  static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
      .build());

  /** For one JSON Lines line: anything after the object on the same line is an error. */
  static final ObjectReader LINE_READER =
      MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonSupport() {}

  /** A short, one-line reason for a Jackson parse error (no source excerpt, no newline). */
  static String describe(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    if (e instanceof JsonEOFException || (m != null && m.startsWith("Unexpected end-of-input"))) {
      return "unexpected end of input";
    }
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    if (nl >= 0) {
      m = m.substring(0, nl);
    }
    int src = m.indexOf(" (for Object starting at");
    if (src >= 0) {
      m = m.substring(0, src);
    }
    if (m.length() > 160) {
      m = m.substring(0, 160) + "…";
    }
    if (e.getLocation() != null && e.getLocation().getColumnNr() > 0) {
      m += " at column " + e.getLocation().getColumnNr();
    }
    return m;
  }

  /** "a string", "an object", … for messages. */
  static String typeName(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing";
    }
    return switch (n.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case NULL -> "null";
      default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** "a string", "an object", … for a streaming token. */
  static String tokenName(JsonToken t) {
    if (t == null) {
      return "the end of input";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** A required string field. */
  static String requireString(ObjectNode o, String field) throws RecordProblem {
    JsonNode n = o.get(field);
    if (n == null) {
      throw new RecordProblem(field, "missing (expected a string)");
    }
    if (!n.isTextual()) {
      throw new RecordProblem(field, "expected a string, got " + typeName(n));
    }
    return n.textValue();
  }

  /** An optional string field: absent or null gives null. */
  static String optionalString(ObjectNode o, String field) throws RecordProblem {
    JsonNode n = o.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new RecordProblem(field, "expected a string or null, got " + typeName(n));
    }
    return n.textValue();
  }

  /** The record's id: a string or an integer in {@code field}, else {@code fallback}. */
  static String id(ObjectNode o, String field, String fallback) throws RecordProblem {
    JsonNode n = o.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (n.isTextual() && !n.textValue().isEmpty()) {
      return n.textValue();
    }
    if (n.isIntegralNumber()) {
      return n.asText();
    }
    throw new RecordProblem(field, "expected a non-empty string or an integer, got "
        + (n.isTextual() ? "an empty string" : typeName(n)));
  }

  /** A JSON value as a plain Java value: String, Integer/Long/BigInteger/Double, Boolean, List, Map, null. */
  static Object toJava(JsonNode n) {
    return MAPPER.convertValue(n, Object.class);
  }
}

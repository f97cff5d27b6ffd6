package org.genderalign.eval.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Small helpers for prediction rows (JSON objects). */
public final class Rows {

  /** The mapper every row is built and read with. */
  public static final ObjectMapper JSON = new ObjectMapper();

  private Rows() {}

  /** A new row with its {@code id}. */
  public static ObjectNode row(String id) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", id);
    return o;
  }

  public static ArrayNode doubles(double[] values) {
    ArrayNode a = JSON.createArrayNode();
    for (double v : values) {
      a.add(v);
    }
    return a;
  }

  public static ArrayNode ints(int[] values) {
    ArrayNode a = JSON.createArrayNode();
    for (int v : values) {
      a.add(v);
    }
    return a;
  }

  public static ArrayNode strings(List<String> values) {
    ArrayNode a = JSON.createArrayNode();
    values.forEach(a::add);
    return a;
  }

  /** A JSON array of numbers as doubles. */
  public static double[] doubles(JsonNode a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asDouble();
    }
    return out;
  }

  public static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }

  public static List<String> strings(JsonNode a) {
    List<String> out = new ArrayList<>();
    a.forEach(x -> out.add(x.asText()));
    return out;
  }

  /** A required field, with a clear message when a row lacks it. */
  public static JsonNode need(JsonNode row, String field) {
    JsonNode v = row.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalStateException("prediction row " + row.path("id").asText("?")
          + " has no '" + field + "'");
    }
    return v;
  }

  /** Index of the largest value, the first on ties (numpy's argmax). */
  public static int argmax(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }
}

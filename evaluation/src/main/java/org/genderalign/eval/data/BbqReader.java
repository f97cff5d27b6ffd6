package org.genderalign.eval.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.genderalign.core.error.InvalidInputException;

/** Reads BBQ's jsonl files (one {@link BbqItem} a line). */
public final class BbqReader {

  private static final ObjectMapper JSON = new ObjectMapper();

  private BbqReader() {}

  /** Every item of {@code file}, in file order. */
  public static List<BbqItem> read(Path file) throws IOException {
    List<BbqItem> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      long n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        out.add(parse(file, n, line));
      }
    }
    return out;
  }

  static BbqItem parse(Path file, long line, String text) {
    JsonNode o;
    try {
      o = JSON.readTree(text);
    } catch (IOException e) {
      throw InvalidInputException.atLine(file, line, null, "not valid JSON: " + e.getMessage());
    }
    List<String> answers = new ArrayList<>();
    List<List<String>> info = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      answers.add(text(file, line, o, "ans" + k));
      JsonNode ai = o.path("answer_info").path("ans" + k);
      if (!ai.isArray() || ai.size() < 2) {
        throw InvalidInputException.atLine(file, line, "answer_info.ans" + k,
            "expected a list of two strings");
      }
      info.add(List.of(ai.get(0).asText(), ai.get(1).asText()));
    }
    List<String> groups = new ArrayList<>();
    JsonNode g = o.path("additional_metadata").path("stereotyped_groups");
    if (!g.isArray()) {
      throw InvalidInputException.atLine(file, line, "additional_metadata.stereotyped_groups",
          "expected a list of strings");
    }
    g.forEach(x -> groups.add(x.asText()));
    String polarity = text(file, line, o, "question_polarity");
    String condition = text(file, line, o, "context_condition");
    if (!Set.of("neg", "nonneg").contains(polarity)) {
      throw InvalidInputException.atLine(file, line, "question_polarity", "expected neg or nonneg");
    }
    if (!Set.of("ambig", "disambig").contains(condition)) {
      throw InvalidInputException.atLine(file, line, "context_condition",
          "expected ambig or disambig");
    }
    JsonNode label = o.get("label");
    if (label == null || !label.canConvertToInt() || label.asInt() < 0 || label.asInt() > 2) {
      throw InvalidInputException.atLine(file, line, "label", "expected 0, 1 or 2");
    }
    JsonNode id = o.get("example_id");
    if (id == null || !id.canConvertToInt()) {
      throw InvalidInputException.atLine(file, line, "example_id", "expected an integer");
    }
    return new BbqItem(id.asInt(), polarity, condition, text(file, line, o, "context"),
        text(file, line, o, "question"), answers, info, groups, label.asInt());
  }

  private static String text(Path file, long line, JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw InvalidInputException.atLine(file, line, field, "expected a string");
    }
    return v.asText();
  }
}

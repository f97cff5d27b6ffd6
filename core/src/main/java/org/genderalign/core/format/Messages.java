package org.genderalign.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Chat message lists ({@code [{role, content}, …]}) of TRL's conversational format. */
final class Messages {

  private Messages() {}

  /** One message. */
  record Message(String role, String content) {}

  /** A prompt rendered as text, and the system prompt that preceded it (or null). */
  record Rendered(String text, String system) {}

  static List<Message> parse(JsonNode list, String field) throws RecordProblem {
    List<Message> out = new ArrayList<>();
    int i = 0;
    for (JsonNode m : list) {
      if (!m.isObject()) {
        throw new RecordProblem(field, "message " + i + ": expected an object {role, content}, got "
            + JsonSupport.typeName(m));
      }
      JsonNode role = m.get("role");
      JsonNode content = m.get("content");
      if (role == null || !role.isTextual()) {
        throw new RecordProblem(field, "message " + i + ": 'role' must be a string, got " + JsonSupport.typeName(role));
      }
      if (content == null || !content.isTextual()) {
        throw new RecordProblem(field, "message " + i + ": 'content' must be a string, got "
            + JsonSupport.typeName(content));
      }
      String r = role.textValue();
      if (!r.equals("user") && !r.equals("assistant") && !r.equals("system")) {
        throw new RecordProblem(field, "message " + i + ": role must be user, assistant or system, got '" + r + "'");
      }
      out.add(new Message(r, content.textValue()));
      i++;
    }
    if (out.isEmpty()) {
      throw new RecordProblem(field, "expected a non-empty list of messages");
    }
    return out;
  }

  /** The content of the last message, which must be the assistant's. */
  static String lastAssistant(List<Message> m, String field) throws RecordProblem {
    Message last = m.get(m.size() - 1);
    if (!last.role().equals("assistant")) {
      throw new RecordProblem(field, "the last message must be the assistant's, got role '" + last.role() + "'");
    }
    return last.content();
  }

  /**
   * Renders prompt messages as HH-style text: first user turn bare, later turns prefixed with
   * {@code \n\nAssistant: } or {@code \n\nHuman: }. Leading system messages are returned apart.
   */
  static Rendered render(List<Message> m, String field) throws RecordProblem {
    int i = 0;
    StringBuilder system = null;
    while (i < m.size() && m.get(i).role().equals("system")) {
      system = system == null ? new StringBuilder() : system.append("\n\n");
      system.append(m.get(i).content());
      i++;
    }
    if (i == m.size() || !m.get(i).role().equals("user")) {
      throw new RecordProblem(field, "the prompt must start with a user message (after any system messages)");
    }
    if (!m.get(m.size() - 1).role().equals("user")) {
      throw new RecordProblem(field, "the prompt must end with a user message");
    }
    StringBuilder sb = new StringBuilder(m.get(i).content());
    for (int j = i + 1; j < m.size(); j++) {
      Message x = m.get(j);
      switch (x.role()) {
        case "user" -> sb.append("\n\nHuman: ").append(x.content());
        case "assistant" -> sb.append("\n\nAssistant: ").append(x.content());
        default -> throw new RecordProblem(field, "message " + j + ": a system message may only come first");
      }
    }
    return new Rendered(sb.toString(), system == null ? null : system.toString());
  }
}

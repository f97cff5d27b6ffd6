package org.genderalign.builder.generate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.genderalign.llm.FakeChatServer;

/**
 * What the fake endpoint answers the builder: a {@code {question, answer}} JSON dialogue (in a
 * code fence, as models do) to the dialogue prompt, a biased sentence to anything else.
 */
final class BuilderChatContent {

  private static final ObjectMapper JSON = new ObjectMapper();

  private BuilderChatContent() {}

  static String content(JsonNode body) {
    String system = body.path("messages").path(0).path("content").asText();
    String user = body.path("messages").path(body.path("messages").size() - 1).path("content")
        .asText();
    String tag = FakeChatServer.tag(user);
    if (system.startsWith("You write training data")) {
      ObjectNode d = JSON.createObjectNode();
      d.put("question", "Question " + tag + ": is it fair to judge people by their gender at work?");
      d.put("answer", "No. Research " + tag + " shows individual differences matter far more than "
          + "gender, and fair workplaces judge people on their skills and results.");
      return "```json\n" + d + "\n```";
    }
    return FakeChatServer.defaultContent(body);
  }
}

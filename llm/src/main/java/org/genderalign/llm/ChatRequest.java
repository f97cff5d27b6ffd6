package org.genderalign.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * One chat completion request: the model, the messages and the sampling settings. Its
 * {@link #body() JSON body} is what is sent, and (with the endpoint) the identity of the request
 * in the {@link RequestJournal}: two requests that differ in any field are different requests.
 *
 * @param model model name
 * @param messages the conversation (at least one message)
 * @param temperature sampling temperature, in [0, 2]
 * @param maxTokens {@code max_tokens}, at least 1
 * @param seed {@code seed} for servers that support reproducible sampling, or null
 */
public record ChatRequest(String model, List<ChatMessage> messages, double temperature,
    int maxTokens, Long seed) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ChatRequest {
    Objects.requireNonNull(model, "model");
    if (model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
    messages = List.copyOf(messages);
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a chat request needs at least one message");
    }
    if (!(temperature >= 0 && temperature <= 2)) {
      throw new IllegalArgumentException("temperature must be in [0, 2], got " + temperature);
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
    }
  }

  /** A request of an optional system message (null = none) and one user message. */
  public static ChatRequest of(String model, String system, String user, double temperature,
      int maxTokens, Long seed) {
    return new ChatRequest(model, system == null ? List.of(ChatMessage.user(user))
        : List.of(ChatMessage.system(system), ChatMessage.user(user)), temperature, maxTokens,
        seed);
  }

  /**
   * The request body: {@code {model, messages, temperature, max_tokens[, seed]}} in that order
   * (the order is part of the journal key).
   */
  public ObjectNode body() {
    ObjectNode b = JSON.createObjectNode();
    b.put("model", model);
    ArrayNode msgs = b.putArray("messages");
    for (ChatMessage m : messages) {
      msgs.addObject().put("role", m.role()).put("content", m.content());
    }
    b.put("temperature", temperature);
    b.put("max_tokens", maxTokens);
    if (seed != null) {
      b.put("seed", seed);
    }
    return b;
  }
}

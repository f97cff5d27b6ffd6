package org.genderalign.trainer.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.genderalign.core.error.InvalidInputException;

/**
 * A Hugging Face checkpoint's own chat template: the Jinja {@code chat_template} of its
 * {@code tokenizer_config.json}, rendered as {@code transformers}' {@code apply_chat_template}
 * does — variables {@code messages} (a list of {@code {role, content}}),
 * {@code add_generation_prompt}, {@code bos_token} and {@code eos_token}; blocks trimmed
 * ({@code trim_blocks}, {@code lstrip_blocks}); {@code raise_exception(msg)} stops rendering
 * with that message. Rendered with Jinjava, plus what Hugging Face templates need beyond it:
 * {@code raise_exception} and Python's string {@code strip()} (see
 * {@link ChatTemplateExtensions}). Thread-safe.
 */
public final class ChatTemplate {

  /** One turn of a conversation. */
  public record Message(String role, String content) {
    public Message {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(content, "content");
    }

    public static Message user(String content) {
      return new Message("user", content);
    }

    public static Message system(String content) {
      return new Message("system", content);
    }

    public static Message assistant(String content) {
      return new Message("assistant", content);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Jinjava JINJA = newJinjava();

  private final String source;
  private final String jinjavaSource;
  private final String bosToken;
  private final String eosToken;

  /**
   * @param source the Jinja source
   * @param bosToken the {@code bos_token} string ("" when the tokenizer has none)
   * @param eosToken the {@code eos_token} string ("" when none)
   */
  public ChatTemplate(String source, String bosToken, String eosToken) {
    this.source = Objects.requireNonNull(source, "source");
    this.jinjavaSource = applyWhitespaceControl(source);
    this.bosToken = bosToken == null ? "" : bosToken;
    this.eosToken = eosToken == null ? "" : eosToken;
  }

  /**
   * The chat template of a {@code tokenizer_config.json}, if it has one: {@code chat_template}
   * as a string, or the one named {@code default} of a list of {@code {name, template}}.
   * {@code bos_token}/{@code eos_token} may be strings or {@code {content: …}} objects.
   *
   * @throws InvalidInputException if the file is not valid JSON or the fields have other types
   */
  public static Optional<ChatTemplate> fromTokenizerConfig(Path file) throws IOException {
    JsonNode n;
    try {
      n = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw InvalidInputException.ofFile(file, "not valid JSON: " + e.getMessage());
    }
    JsonNode t = n == null ? null : n.get("chat_template");
    if (t == null || t.isNull()) {
      return Optional.empty();
    }
    String source = null;
    if (t.isTextual()) {
      source = t.asText();
    } else if (t.isArray()) {
      for (JsonNode named : t) {
        if ("default".equals(named.path("name").asText()) && named.path("template").isTextual()) {
          source = named.path("template").asText();
        }
      }
      if (source == null) {
        throw InvalidInputException.ofFile(file,
            "field chat_template: a list of templates without one named 'default'");
      }
    } else {
      throw InvalidInputException.ofFile(file,
          "field chat_template: expected a string or a list of {name, template}");
    }
    return Optional.of(new ChatTemplate(source, token(file, n, "bos_token"),
        token(file, n, "eos_token")));
  }

  /**
   * Only the {@code bos_token}/{@code eos_token} of a {@code tokenizer_config.json} (for a
   * template kept in its own file), as a template with an empty source.
   */
  public static ChatTemplate tokensOf(Path file) throws IOException {
    JsonNode n;
    try {
      n = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw InvalidInputException.ofFile(file, "not valid JSON: " + e.getMessage());
    }
    return new ChatTemplate("", token(file, n, "bos_token"), token(file, n, "eos_token"));
  }

  private static String token(Path file, JsonNode cfg, String field) {
    JsonNode t = cfg.get(field);
    if (t == null || t.isNull()) {
      return "";
    }
    if (t.isTextual()) {
      return t.asText();
    }
    if (t.path("content").isTextual()) {
      return t.path("content").asText();
    }
    throw InvalidInputException.ofFile(file, "field " + field
        + ": expected a string or {content: string}");
  }

  public String source() {
    return source;
  }

  public String bosToken() {
    return bosToken;
  }

  public String eosToken() {
    return eosToken;
  }

  /**
   * Renders a conversation.
   *
   * @param addGenerationPrompt whether to end with the assistant's header (for generation)
   * @throws IllegalArgumentException with the template's own message when it rejects the
   *     conversation ({@code raise_exception}), or naming the template error
   */
  public String render(List<Message> messages, boolean addGenerationPrompt) {
    List<Map<String, Object>> msgs = new ArrayList<>(messages.size());
    for (Message m : messages) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("role", m.role());
      map.put("content", m.content());
      msgs.add(map);
    }
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("messages", msgs);
    vars.put("add_generation_prompt", addGenerationPrompt);
    vars.put("bos_token", bosToken);
    vars.put("eos_token", eosToken);
    RenderResult r = JINJA.renderForResult(jinjavaSource, vars);
    for (TemplateError e : r.getErrors()) {
      if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
        String raised = ChatTemplateExtensions.raisedMessage(e);
        throw new IllegalArgumentException(raised != null ? raised
            : "chat template error: " + e.getMessage());
      }
    }
    return r.getOutput();
  }

  /**
   * This template as a prompt format for generation: a prompt becomes one user message with
   * the generation prompt, without a leading {@code bos_token} (the generator adds BOS itself,
   * as {@code apply_chat_template(tokenize=True)} does not double it). Stops at
   * {@code eos_token}.
   */
  public PromptTemplate asPromptTemplate() {
    ChatTemplate self = this;
    return new PromptTemplate() {
      @Override
      public String apply(String prompt) {
        String text = render(List.of(Message.user(prompt)), true);
        return !bosToken.isEmpty() && text.startsWith(bosToken)
            ? text.substring(bosToken.length()) : text;
      }

      @Override
      public List<String> stopStrings() {
        return self.eosToken.isEmpty() ? List.of() : List.of(self.eosToken);
      }

      @Override
      public String name() {
        return PromptTemplate.MODEL;
      }
    };
  }

  /**
   * Jinja's whitespace control done before Jinjava sees the source: {@code {{-}} / {@code {%-}}
   * / {@code {#-}} remove all whitespace before the tag, {@code -}}} / {@code -%}} /
   * {@code -#}} all whitespace after it (Jinjava ignores the minus on expressions, and Mistral's
   * and Llama-3.1's templates rely on it).
   */
  static String applyWhitespaceControl(String src) {
    return src.replaceAll("\\s*\\{([{%#])-", "{$1").replaceAll("-([}%#])}\\s*", "$1}");
  }

  private static Jinjava newJinjava() {
    Jinjava j = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true)
        .withLstripBlocks(true).build());
    ChatTemplateExtensions.register(j);
    return j;
  }

  /** Exposed for {@link ChatTemplateExtensions}: the function Jinjava calls. */
  static ELFunctionDefinition raiseExceptionFunction() {
    return new ELFunctionDefinition("", "raise_exception", ChatTemplateExtensions.class,
        "raiseException", String.class);
  }
}

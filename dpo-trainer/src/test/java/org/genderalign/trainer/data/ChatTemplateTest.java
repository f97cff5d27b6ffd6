package org.genderalign.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real chat templates of Llama-2-chat, Llama-3-Instruct, Mistral-Instruct (v0.2, system
 * message folded into the first user turn) and Qwen2 (ChatML), from their
 * {@code tokenizer_config.json}, render exactly what {@code transformers}'
 * {@code apply_chat_template} renders. The expected strings in
 * {@code chat-templates/expected-renderings.json} were produced by Python Jinja2 3.1.2 with
 * Hugging Face's settings (sandboxed, {@code trim_blocks}, {@code lstrip_blocks},
 * {@code raise_exception}) — an independent Jinja implementation; the known headline strings
 * (e.g. Llama-2's {@code <s>[INST] <<SYS>>\n…\n<</SYS>>\n\n… [/INST]}) are also spelled out.
 */
class ChatTemplateTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> MODELS = List.of("llama2-chat", "llama3-instruct", "mistral-instruct",
      "qwen2-chatml");

  static Path resource(String name) throws URISyntaxException {
    return Path.of(ChatTemplateTest.class.getResource("/chat-templates/" + name).toURI());
  }

  static JsonNode json(String name) throws IOException {
    try (InputStream in = ChatTemplateTest.class.getResourceAsStream("/chat-templates/" + name)) {
      return JSON.readTree(in);
    }
  }

  static ChatTemplate template(String model) throws Exception {
    return ChatTemplate.fromTokenizerConfig(resource(model + ".tokenizer_config.json"))
        .orElseThrow();
  }

  static List<ChatTemplate.Message> messages(JsonNode conv) {
    List<ChatTemplate.Message> out = new ArrayList<>();
    for (JsonNode m : conv.path("messages")) {
      out.add(new ChatTemplate.Message(m.path("role").asText(), m.path("content").asText()));
    }
    return out;
  }

  @Test
  void realTemplatesRenderAsTransformersDoes() throws Exception {
    JsonNode convs = json("conversations.json");
    JsonNode expected = json("expected-renderings.json");
    int checked = 0;
    for (String model : MODELS) {
      ChatTemplate t = template(model);
      for (Map.Entry<String, JsonNode> c : convs.properties()) {
        JsonNode want = expected.path(model).path(c.getKey());
        List<ChatTemplate.Message> msgs = messages(c.getValue());
        boolean agp = c.getValue().path("add_generation_prompt").asBoolean();
        if (want.has("error")) {
          assertThatThrownBy(() -> t.render(msgs, agp)).as("%s %s", model, c.getKey())
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessage(want.path("error").asText());
        } else {
          assertThat(t.render(msgs, agp)).as("%s %s", model, c.getKey())
              .isEqualTo(want.path("text").asText());
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(MODELS.size() * 5);
  }

  @Test
  void knownRenderingsSpelledOut() throws Exception {
    List<ChatTemplate.Message> sys = List.of(ChatTemplate.Message.system("You are a fair assistant."),
        ChatTemplate.Message.user("Is a nurse a woman?"));
    assertThat(template("llama2-chat").render(sys, true)).isEqualTo(
        "<s>[INST] <<SYS>>\nYou are a fair assistant.\n<</SYS>>\n\nIs a nurse a woman? [/INST]");
    assertThat(template("llama3-instruct").render(sys, true)).isEqualTo(
        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a fair assistant."
            + "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nIs a nurse a woman?<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n");
    assertThat(template("qwen2-chatml").render(List.of(ChatTemplate.Message.user("Hi")), true))
        .isEqualTo("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
            + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
  }
}

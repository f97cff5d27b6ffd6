package org.genderalign.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.genderalign.trainer.loader.HuggingFaceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's chat formats are the real checkpoints' own templates for one user message
 * (less the BOS the generator adds); {@code model} uses the checkpoint's template, and the
 * Hugging Face loader finds it in {@code tokenizer_config.json} or {@code chat_template.jinja}.
 */
class PromptTemplateTest {

  static String realSingleTurn(String model, String prompt) throws Exception {
    ChatTemplate t = ChatTemplateTest.template(model);
    String text = t.render(List.of(ChatTemplate.Message.user(prompt)), true);
    return text.startsWith(t.bosToken()) ? text.substring(t.bosToken().length()) : text;
  }

  @Test
  void builtInChatFormatsEqualTheRealTemplates() throws Exception {
    for (String prompt : List.of("Is a nurse a woman?", "  Tell me a joke.\n")) {
      assertThat(PromptTemplate.named("llama2-chat").apply(prompt))
          .isEqualTo(realSingleTurn("llama2-chat", prompt));
      assertThat(PromptTemplate.named("llama3").apply(prompt))
          .isEqualTo(realSingleTurn("llama3-instruct", prompt));
      assertThat(PromptTemplate.named("mistral").apply(prompt))
          .isEqualTo(realSingleTurn("mistral-instruct", prompt));
      // Qwen's template adds a default system turn; the generic ChatML format does not
      assertThat(realSingleTurn("qwen2-chatml", prompt)).isEqualTo(
          "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
              + PromptTemplate.named("chatml").apply(prompt));
    }
    assertThat(PromptTemplate.named("alpaca").apply("Name a colour.")).isEqualTo(
        "Below is an instruction that describes a task. Write a response that appropriately "
            + "completes the request.\n\n### Instruction:\nName a colour.\n\n### Response:\n");
    assertThat(PromptTemplate.named("zephyr").apply("Hi"))
        .isEqualTo("<|user|>\nHi</s>\n<|assistant|>\n");
    assertThat(PromptTemplate.named("HH").stopStrings()).containsExactly("\n\nHuman:");
    assertThat(PromptTemplate.named("chatml").stopStrings()).containsExactly("<|im_end|>");
    assertThat(PromptTemplate.named("raw").stopStrings()).isEmpty();
    for (String n : PromptTemplate.names()) {
      if (!n.equals(PromptTemplate.MODEL)) {
        assertThat(PromptTemplate.named(n).name()).isEqualTo(n);
      }
    }
    assertThat(PromptTemplate.names()).startsWith("raw", "hh").endsWith("model")
        .contains("alpaca", "chatml", "llama2-chat", "llama3", "mistral", "zephyr");
  }

  @Test
  void modelTemplateComesFromTheCheckpoint(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> PromptTemplate.named("model"))
        .hasMessageContaining("chat_template");
    assertThat(HuggingFaceLoader.readChatTemplate(dir)).isEmpty();
    Files.copy(ChatTemplateTest.resource("llama2-chat.tokenizer_config.json"),
        dir.resolve("tokenizer_config.json"));
    ChatTemplate t = HuggingFaceLoader.readChatTemplate(dir).orElseThrow();
    PromptTemplate p = PromptTemplate.named("model", t);
    assertThat(p.name()).isEqualTo("model");
    assertThat(p.apply("Hi")).isEqualTo("[INST] Hi [/INST]"); // BOS left to the generator
    assertThat(p.stopStrings()).containsExactly("</s>");
    // a separate chat_template.jinja wins, with the config's special tokens
    Files.writeString(dir.resolve("chat_template.jinja"),
        "{{ bos_token }}{% for m in messages %}<{{ m['role'] }}>{{ m['content'] }}{{ eos_token }}"
            + "{% endfor %}{% if add_generation_prompt %}<assistant>{% endif %}");
    ChatTemplate j = HuggingFaceLoader.readChatTemplate(dir).orElseThrow();
    assertThat(j.render(List.of(ChatTemplate.Message.user("Hi")), true))
        .isEqualTo("<s><user>Hi</s><assistant>");
    // a config without a template has none
    Files.delete(dir.resolve("chat_template.jinja"));
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": {\"content\": \"<s>\"}}");
    assertThat(HuggingFaceLoader.readChatTemplate(dir)).isEmpty();
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": 3}");
    assertThatThrownBy(() -> HuggingFaceLoader.readChatTemplate(dir))
        .hasMessageContaining("chat_template");
  }
}

package org.genderalign.trainer.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a prompt (the user's turn as plain text) becomes the model's prompt text — the one
 * registry of prompt formats, used by DPO's {@code PairEncoder}, scoring, generation and the
 * builder's {@code model} backend. Chosen by name:
 * <ul>
 *   <li>{@value #RAW} (the default, {@link #DEFAULT}) — the prompt as is: right for base models
 *       and for data whose prompts are already in the model's format;</li>
 *   <li>{@value #HH} — Anthropic HH-RLHF turns, {@code "\n\nHuman: {prompt}\n\nAssistant:"}; a
 *       prompt that already ends with {@code Assistant:} (a multi-turn HH transcript) is kept
 *       as is;</li>
 *   <li>{@value #ALPACA} — Stanford Alpaca's instruction prompt (no input);</li>
 *   <li>{@value #CHATML} — {@code <|im_start|>user\n{prompt}<|im_end|>\n<|im_start|>assistant\n}
 *       (Qwen, many fine-tunes; no default system turn);</li>
 *   <li>{@value #LLAMA2_CHAT} and {@value #MISTRAL} — {@code [INST] {prompt} [/INST]} (Llama-2
 *       strips the prompt; Mistral v0.2 puts a space before {@code [INST]});</li>
 *   <li>{@value #LLAMA3} — Llama-3-Instruct's header turns;</li>
 *   <li>{@value #ZEPHYR} — {@code <|user|>\n{prompt}</s>\n<|assistant|>\n};</li>
 *   <li>{@value #MODEL} — the checkpoint's own {@code chat_template} from its
 *       {@code tokenizer_config.json} ({@link ChatTemplate}); only with {@link #named(String,
 *       ChatTemplate)}.</li>
 * </ul>
 * Each format equals what the model's own chat template renders for one user message (without
 * the leading BOS, which the tokenizing caller adds) and names the strings that end the model's
 * turn ({@link #stopStrings()}), for generation.
 */
@FunctionalInterface
public interface PromptTemplate {

  String RAW = "raw";
  String HH = "hh";
  String ALPACA = "alpaca";
  String CHATML = "chatml";
  String LLAMA2_CHAT = "llama2-chat";
  String LLAMA3 = "llama3";
  String MISTRAL = "mistral";
  String ZEPHYR = "zephyr";
  /** Name of the checkpoint's own chat template ({@link ChatTemplate}). */
  String MODEL = "model";

  /** The default template: {@value #RAW}. */
  PromptTemplate DEFAULT = new Wrap(RAW, "", "", List.of());

  /** The model text for {@code prompt}. */
  String apply(String prompt);

  /** Its registered name ({@code custom} for one made in code). */
  default String name() {
    return "custom";
  }

  /** Strings that end the model's turn in this format (stop strings for generation). */
  default List<String> stopStrings() {
    return List.of();
  }

  /**
   * The built-in template registered under {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException for an unknown name, or for {@value #MODEL} (which needs
   *     the checkpoint: {@link #named(String, ChatTemplate)})
   */
  static PromptTemplate named(String name) {
    return named(name, null);
  }

  /**
   * The template registered under {@code name}, where {@value #MODEL} means {@code model}, the
   * checkpoint's own chat template.
   *
   * @param model the checkpoint's chat template, or null when it has none
   * @throws IllegalArgumentException for an unknown name, or {@value #MODEL} without a template
   */
  static PromptTemplate named(String name, ChatTemplate model) {
    Objects.requireNonNull(name, "template name");
    String key = name.toLowerCase(Locale.ROOT);
    if (key.equals(MODEL)) {
      if (model == null) {
        throw new IllegalArgumentException("prompt template '" + MODEL + "' needs a model with a "
            + "chat_template in its tokenizer_config.json; this model has none (known: "
            + String.join(", ", names()) + ")");
      }
      return model.asPromptTemplate();
    }
    PromptTemplate t = Registry.BUILT_IN.get(key);
    if (t == null) {
      throw new IllegalArgumentException("unknown prompt template '" + name + "' (known: "
          + String.join(", ", names()) + ")");
    }
    return t;
  }

  /** The registered names ({@value #MODEL} last). */
  static List<String> names() {
    List<String> n = new java.util.ArrayList<>(Registry.BUILT_IN.keySet());
    n.add(MODEL);
    return List.copyOf(n);
  }

  /** A format that puts the prompt between a fixed prefix and suffix. */
  record Wrap(String name, String before, String after, List<String> stopStrings)
      implements PromptTemplate {
    @Override
    public String apply(String prompt) {
      return before + prompt + after;
    }
  }

  /** The built-in formats, by name. */
  final class Registry {
    static final Map<String, PromptTemplate> BUILT_IN = builtIn();

    private Registry() {}

    private static Map<String, PromptTemplate> builtIn() {
      Map<String, PromptTemplate> m = new LinkedHashMap<>();
      m.put(RAW, DEFAULT);
      m.put(HH, new PromptTemplate() {
        @Override
        public String apply(String prompt) {
          return prompt.stripTrailing().endsWith("Assistant:") ? prompt
              : "\n\nHuman: " + prompt + "\n\nAssistant:";
        }

        @Override
        public String name() {
          return HH;
        }

        @Override
        public List<String> stopStrings() {
          return List.of("\n\nHuman:");
        }
      });
      m.put(ALPACA, new Wrap(ALPACA, "Below is an instruction that describes a task. Write a "
          + "response that appropriately completes the request.\n\n### Instruction:\n",
          "\n\n### Response:\n", List.of("\n\n### Instruction:")));
      m.put(CHATML, new Wrap(CHATML, "<|im_start|>user\n", "<|im_end|>\n<|im_start|>assistant\n",
          List.of("<|im_end|>")));
      m.put(LLAMA2_CHAT, new PromptTemplate() {
        @Override
        public String apply(String prompt) {
          // Llama-2-chat's template strips the message (content.strip())
          return "[INST] " + prompt.strip() + " [/INST]";
        }

        @Override
        public String name() {
          return LLAMA2_CHAT;
        }

        @Override
        public List<String> stopStrings() {
          return List.of("</s>");
        }
      });
      m.put(LLAMA3, new PromptTemplate() {
        @Override
        public String apply(String prompt) {
          // Llama-3-Instruct's template trims the message (| trim)
          return "<|start_header_id|>user<|end_header_id|>\n\n" + prompt.strip()
              + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";
        }

        @Override
        public String name() {
          return LLAMA3;
        }

        @Override
        public List<String> stopStrings() {
          return List.of("<|eot_id|>");
        }
      });
      m.put(MISTRAL, new Wrap(MISTRAL, " [INST] ", " [/INST]", List.of("</s>")));
      m.put(ZEPHYR, new Wrap(ZEPHYR, "<|user|>\n", "</s>\n<|assistant|>\n", List.of("</s>")));
      return java.util.Collections.unmodifiableMap(m);
    }
  }
}

package org.genderalign.trainer.data;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a {@code PreferencePair.prompt} (the user's turn as plain text) becomes the model's
 * prompt text. Chosen by name:
 * <ul>
 *   <li>{@value #RAW} (the default, {@link #DEFAULT}) — the prompt as is: right for base models
 *       and for data whose prompts are already in the model's format;</li>
 *   <li>{@value #HH} — Anthropic HH-RLHF turns, {@code "\n\nHuman: {prompt}\n\nAssistant:"}; a
 *       prompt that already ends with {@code Assistant:} (a multi-turn HH transcript) is kept
 *       as is.</li>
 * </ul>
 */
@FunctionalInterface
public interface PromptTemplate {

  String RAW = "raw";
  String HH = "hh";

  /** The default template: {@value #RAW}. */
  PromptTemplate DEFAULT = prompt -> prompt;

  /** The model text for {@code prompt}. */
  String apply(String prompt);

  /** The template registered under {@code name} ({@value #RAW} or {@value #HH}). */
  static PromptTemplate named(String name) {
    Objects.requireNonNull(name, "template name");
    return switch (name.toLowerCase(Locale.ROOT)) {
      case RAW -> DEFAULT;
      case HH -> prompt -> prompt.stripTrailing().endsWith("Assistant:")
          ? prompt
          : "\n\nHuman: " + prompt + "\n\nAssistant:";
      default -> throw new IllegalArgumentException(
          "unknown prompt template '" + name + "' (known: " + String.join(", ", names()) + ")");
    };
  }

  /** The registered names. */
  static List<String> names() {
    return List.of(RAW, HH);
  }
}

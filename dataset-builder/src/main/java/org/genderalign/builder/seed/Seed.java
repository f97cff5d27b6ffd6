package org.genderalign.builder.seed;

import java.util.Objects;

/**
 * One seed text: a statement that raises a gender issue, from which dialogues are generated.
 *
 * @param id stable id, unique in a build, prefixed by the source (e.g. {@code edos-sexism2022_english-7228})
 * @param source source id (e.g. {@code edos}, {@code user:my-seeds.txt})
 * @param text the (normalised, scrubbed once prepared) text
 * @param hint a bias-category id the source's own labels suggest, or null
 * @param topic a source-specific topic label (e.g. {@code gest:13} for GEST's "men are
 *     leaders"), or null
 */
public record Seed(String id, String source, String text, String hint, String topic) {

  public Seed {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(text, "text");
  }

  /** A seed without a topic label. */
  public Seed(String id, String source, String text, String hint) {
    this(id, source, text, hint, null);
  }

  /** A copy with other text (after normalisation or scrubbing). */
  public Seed withText(String newText) {
    return new Seed(id, source, newText, hint, topic);
  }
}

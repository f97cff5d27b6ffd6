package org.genderalign.taxonomy.lexicon;

import java.util.List;
import java.util.Objects;

/**
 * A named word list with its provenance.
 *
 * @param name short id used in explanations, e.g. {@code lgbtq_terms}
 * @param description what the list holds
 * @param source where it comes from (a data-root id and URL, or "project-authored …")
 * @param licence the list's licence
 * @param terms the terms (single words or phrases), lower case, duplicates removed
 */
public record Lexicon(String name, String description, String source, String licence,
    List<String> terms) {

  public Lexicon {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    terms = List.copyOf(terms.stream().map(t -> t.trim().toLowerCase(java.util.Locale.ROOT))
        .filter(t -> !t.isEmpty()).distinct().toList());
    if (terms.isEmpty()) {
      throw new IllegalArgumentException("lexicon '" + name + "' has no terms");
    }
  }

  public int size() {
    return terms.size();
  }
}

package org.genderalign.taxonomy;

import java.util.List;
import java.util.Objects;

/**
 * How the project defines one category.
 *
 * @param category the category
 * @param displayName its human-readable name
 * @param definition one-sentence definition
 * @param include what falls inside it
 * @param exclude what does not (hard negatives)
 */
public record CategoryDefinition(BiasCategory category, String displayName, String definition,
    List<String> include, List<String> exclude) {

  public CategoryDefinition {
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(definition, "definition");
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
  }
}

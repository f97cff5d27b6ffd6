package org.genderalign.taxonomy;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The GenderAlign paper's four categories of gender bias in an answer, plus "no bias". The
 * {@link #id()} strings are the ones used in every machine-readable output.
 */
public enum BiasCategory {
  STEREOTYPES("stereotypes", "Stereotypes"),
  DISCRIMINATORY_LANGUAGE("discriminatory_language", "Discriminatory language"),
  OCCUPATIONAL_EDUCATIONAL_SEXISM("occupational_educational_sexism",
      "Sexism in occupational and educational institutions"),
  MARGINALIZED_GENDER_BIAS("marginalized_gender_bias", "Bias against marginalized genders"),
  NONE("none", "No gender bias");

  private final String id;
  private final String displayName;

  BiasCategory(String id, String displayName) {
    this.id = id;
    this.displayName = displayName;
  }

  /** The machine-readable id, e.g. {@code occupational_educational_sexism}. */
  public String id() {
    return id;
  }

  public String displayName() {
    return displayName;
  }

  /** True for the four bias categories, false for {@link #NONE}. */
  public boolean isBiased() {
    return this != NONE;
  }

  /** Parses an id (case-insensitive; {@code -} accepted for {@code _}). */
  public static BiasCategory fromId(String id) {
    String norm = id.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    for (BiasCategory c : values()) {
      if (c.id.equals(norm)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown bias category '" + id + "'; expected one of "
        + Arrays.stream(values()).map(BiasCategory::id).collect(Collectors.joining(", ")));
  }
}

package org.genderalign.builder.config;

/** A config value out of range or of the wrong kind; the message names the field. */
public class ConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String field;

  public ConfigException(String field, String problem) {
    super("config field '" + field + "': " + problem);
    this.field = field;
  }

  /** The offending field (dotted for nested records, e.g. {@code filters.maxAnswerChars}). */
  public String field() {
    return field;
  }
}

package org.genderalign.cli;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.genderalign.builder.config.ConfigException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Options named as the user typed them ({@code --lr}, not {@code --learning-rate}, when
 * {@code --lr} was typed), and config-validation failures mapped back to those names: a config
 * record validates its own fields and says {@code batch size must be >= 1} or
 * {@code config field 'rejectedGenerator': …}; the command builds its record right after
 * parsing through {@link #build} with a map from the record's field names (or the phrases its
 * messages use) to options, and the user reads {@code --batch-size must be >= 1} or
 * {@code --rejected-generator: …} instead.
 */
public final class OptionNames {

  private OptionNames() {}

  /**
   * The name of the option {@code anyName} as typed on this command line (any of its aliases,
   * also in {@code --name=value} form); its first name when it was not typed.
   */
  public static String typed(CommandSpec spec, String anyName) {
    OptionSpec o = spec.findOption(anyName);
    if (o == null) {
      return anyName;
    }
    return typed(spec.commandLine() == null ? null : spec.commandLine().getParseResult(), o);
  }

  static String typed(ParseResult pr, OptionSpec o) {
    if (pr != null) {
      for (String arg : pr.originalArgs()) {
        for (String n : o.names()) {
          if (arg.equals(n) || arg.startsWith(n + "=")) {
            return n;
          }
        }
      }
    }
    return o.names()[0];
  }

  /**
   * Builds a config record; a validation failure becomes a {@link BadUsageException} whose
   * message names the options as typed.
   *
   * @param fields config field name or message phrase → option name (any alias)
   */
  public static <T> T build(CommandSpec spec, Map<String, String> fields, Supplier<T> config) {
    try {
      return config.get();
    } catch (IllegalArgumentException e) {
      throw badUsage(spec, fields, e);
    }
  }

  /** {@code e}'s message with config field names and phrases replaced by the options as typed. */
  public static BadUsageException badUsage(CommandSpec spec, Map<String, String> fields, IllegalArgumentException e) {
    if (e instanceof ConfigException c) {
      String option = fields.get(c.field());
      ParseResult pr = spec.commandLine() == null ? null : spec.commandLine().getParseResult();
      if (option != null && pr != null && spec.findOption(option) != null
          && !pr.hasMatchedOption(spec.findOption(option))) {
        option = null; // the value came from the --config file, not from the option
      }
      String problem = e.getMessage().substring(e.getMessage().indexOf("': ") + 3);
      return new BadUsageException(option != null
          ? typed(spec, option) + ": " + problem
          : "config field '" + c.field() + "' (in --config): " + problem);
    }
    return new BadUsageException(translate(spec, fields, String.valueOf(e.getMessage())));
  }

  /** Replaces, in one pass, every field name or phrase of {@code fields} with its option as typed. */
  static String translate(CommandSpec spec, Map<String, String> fields, String message) {
    if (fields.isEmpty()) {
      return message;
    }
    List<String> keys = fields.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    StringBuilder alternatives = new StringBuilder();
    for (String k : keys) {
      alternatives.append(alternatives.length() == 0 ? "" : "|").append(Pattern.quote(k));
    }
    Matcher m = Pattern.compile("(?<![\\w-])(" + alternatives + ")(?![\\w-])").matcher(message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(typed(spec, fields.get(m.group(1)))));
    }
    m.appendTail(out);
    return out.toString();
  }
}

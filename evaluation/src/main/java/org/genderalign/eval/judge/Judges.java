package org.genderalign.eval.judge;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The judges by kind. A spec is {@code KIND} or {@code KIND:ARGUMENT}: {@value #TAXONOMY} (the
 * offline bias classifier), {@value #OPENAI}{@code :MODEL} (an LLM behind any OpenAI-compatible
 * endpoint), {@value #HUMAN}{@code :FILE} (a filled annotation sheet). Adding a judge = one class
 * and one line here.
 */
public final class Judges {

  public static final String TAXONOMY = "taxonomy";
  public static final String OPENAI = "openai";
  public static final String HUMAN = "human";
  /** The valid forms, for error messages. */
  public static final String VALID = "taxonomy, openai:MODEL, human:FILE";

  /** Makes a judge from its spec's argument (null when the spec has none). */
  @FunctionalInterface
  interface Factory {
    Judge create(String spec, String argument, JudgeContext ctx) throws IOException;
  }

  private record Kind(boolean needsArgument, Factory factory) {}

  private static final Map<String, Kind> REGISTRY = new LinkedHashMap<>();

  static {
    REGISTRY.put(TAXONOMY, new Kind(false, (s, a, c) -> new TaxonomyJudge(c.dataRoot())));
    REGISTRY.put(OPENAI, new Kind(true, OpenAiJudge::create));
    REGISTRY.put(HUMAN, new Kind(true, (s, a, c) -> new HumanJudge(s, Path.of(a))));
  }

  private Judges() {}

  /** The judge specs of a comma-separated list, checked. */
  public static List<String> parse(String list) {
    List<String> out = new ArrayList<>();
    for (String s : list.split(",")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    validate(out);
    return out;
  }

  /**
   * Checks specs: a known kind, an argument exactly where one is needed, no spec twice.
   *
   * @throws IllegalArgumentException naming the spec and the valid forms
   */
  public static void validate(List<String> specs) {
    if (specs.isEmpty()) {
      throw new IllegalArgumentException("--judges names no judge (valid: " + VALID + ")");
    }
    Set<String> seen = new HashSet<>();
    for (String s : specs) {
      int colon = s.indexOf(':');
      String kind = colon < 0 ? s : s.substring(0, colon);
      String arg = colon < 0 ? null : s.substring(colon + 1);
      Kind k = REGISTRY.get(kind);
      if (k == null) {
        throw new IllegalArgumentException("unknown judge '" + s + "' in --judges (valid: " + VALID
            + ")");
      }
      if (k.needsArgument() && (arg == null || arg.isBlank())) {
        throw new IllegalArgumentException("judge '" + s + "' in --judges needs "
            + (kind.equals(OPENAI) ? "a model: openai:MODEL" : "a file: human:FILE") + " (valid: "
            + VALID + ")");
      }
      if (!k.needsArgument() && arg != null) {
        throw new IllegalArgumentException("judge '" + s + "' in --judges takes no argument "
            + "(valid: " + VALID + ")");
      }
      if (!seen.add(s)) {
        throw new IllegalArgumentException("judge '" + s + "' named twice in --judges");
      }
    }
  }

  /** The kind of a spec ({@code openai} for {@code openai:gpt-4o}). */
  public static String kind(String spec) {
    int colon = spec.indexOf(':');
    return colon < 0 ? spec : spec.substring(0, colon);
  }

  /** A judge from its spec. */
  public static Judge create(String spec, JudgeContext ctx) throws IOException {
    validate(List.of(spec));
    int colon = spec.indexOf(':');
    return REGISTRY.get(kind(spec)).factory().create(spec,
        colon < 0 ? null : spec.substring(colon + 1), ctx);
  }

  /** A judge's name as a file name (letters, digits, '.', '-', '_'). */
  public static String fileName(String spec) {
    return spec.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}

package org.genderalign.builder.generate.template;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The project-written text material of the template backend, loaded from
 * {@code themes.json} and {@code pools.json} resources. Placeholders: {@code {group}},
 * {@code {other}}, {@code {topic}}, {@code {claim}}, {@code {asker}}, {@code {place}},
 * {@code {relation}}, {@code {occupation}}, {@code {pct}}; a capitalised name ({@code {Group}})
 * capitalises the value.
 */
public record TemplateBank(List<Theme> themes, Pools pools) {

  /**
   * One theme a seed can be about.
   *
   * @param id stable id
   * @param category the bias category a rejected answer endorsing its claims falls into
   * @param topic noun phrase, e.g. "leadership"
   * @param groups group ids the theme's claims are about (first = default)
   * @param keywords lower-case words or phrases that signal the theme in a seed
   * @param claims biased claims with a {@code {group}} slot (questions ask about them)
   * @param evidence neutral, evidence-based sentences for chosen answers
   * @param endorse sentences that endorse a claim, for rejected answers
   * @param occupations BLS occupation titles relevant to the theme (may be null)
   */
  public record Theme(String id, String category, String topic, List<String> groups, List<String> keywords,
      List<String> claims, List<String> evidence, List<String> endorse, List<String> occupations) {
    public Theme {
      occupations = occupations == null ? List.of() : occupations;
    }
  }

  /** A gender group: its plural noun and the group it is usually contrasted with. */
  public record Group(String group, String other) {}

  /** Chosen-answer fragments. */
  public record Chosen(Map<String, List<String>> openers, Map<String, List<String>> principles,
      Map<String, List<String>> advice, List<String> closers, List<String> blsFacts,
      Map<String, List<String>> blsComments) {}

  /** Rejected-answer fragments. */
  public record Rejected(List<String> endorseOpeners, Map<String, List<String>> endorseByCategory,
      List<String> offTopic, List<String> lowQuality) {}

  /** Shared pools. */
  public record Pools(Map<String, Group> groups, Map<String, List<String>> groupKeywords,
      Map<String, List<String>> gestTopics, List<String> askers, List<String> places,
      Map<String, List<String>> scenarios, Map<String, List<String>> questions, List<String> relations,
      Chosen chosen, Rejected rejected) {}

  private static final String BASE = "/org/genderalign/builder/template/";

  /** Loads the bundled material. */
  public static TemplateBank load() {
    ObjectMapper m = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    try (InputStream t = resource("themes.json"); InputStream p = resource("pools.json")) {
      List<Theme> themes = List.of(m.readValue(t, Theme[].class));
      Pools pools = m.readValue(p, Pools.class);
      return new TemplateBank(themes, pools);
    } catch (IOException e) {
      throw new UncheckedIOException("template resources are broken", e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = TemplateBank.class.getResourceAsStream(BASE + name);
    if (in == null) {
      throw new IllegalStateException("resource " + BASE + name + " missing from the dataset-builder jar");
    }
    return in;
  }

  /** The theme with that id. */
  public Theme theme(String id) {
    for (Theme t : themes) {
      if (t.id().equals(id)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown theme " + id);
  }
}

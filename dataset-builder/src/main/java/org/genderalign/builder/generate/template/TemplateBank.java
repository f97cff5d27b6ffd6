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
 * capitalises the value. {@code [a|b|c]} picks one of its alternatives (seeded), so that one
 * line of material reads several ways.
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
   * @param groupClaims claims for one group that the generic ones do not fit (the stereotypes
   *     about men are not the mirror image of those about women), or null
   * @param evidence neutral, evidence-based sentences for chosen answers
   * @param endorse sentences that endorse a claim, for rejected answers
   * @param groupEndorse endorsements of the {@code groupClaims}, by group, or null
   * @param occupations BLS occupation titles relevant to the theme (may be null)
   */
  public record Theme(String id, String category, String topic, List<String> groups, List<String> keywords,
      List<String> claims, Map<String, List<String>> groupClaims, List<String> evidence, List<String> endorse,
      Map<String, List<String>> groupEndorse, List<String> occupations) {
    public Theme {
      occupations = occupations == null ? List.of() : occupations;
      groupClaims = groupClaims == null ? Map.of() : groupClaims;
      groupEndorse = groupEndorse == null ? Map.of() : groupEndorse;
    }

    /** The claims about a group: its own when the theme has them, else the generic ones. */
    public List<String> claimsFor(String group) {
      return groupClaims.getOrDefault(group, claims);
    }

    /** The endorsements for a group: its own when the theme has them, else the generic ones. */
    public List<String> endorseFor(String group) {
      return groupEndorse.getOrDefault(group, endorse);
    }
  }

  /** A gender group: its plural noun and the group it is usually contrasted with. */
  public record Group(String group, String other) {}

  /**
   * Where a seed's issue happens (work, school, online, …): the words that reveal it and the
   * {@code {place}} phrases questions use for it.
   */
  public record Setting(List<String> keywords, List<String> places) {}

  /**
   * Chosen-answer sentences, by role.
   *
   * @param openers the stance, per question angle
   * @param principles a fairness principle, per category
   * @param advice what to do or say, per question angle
   * @param closers a closing sentence
   * @param blsFacts a BLS figure sentence ({@code {pct}}, {@code {occupation}})
   * @param blsComments what the figure means, per level ({@code low}, {@code mid}, {@code high})
   * @param leadIns how a piece of evidence may be introduced ("For example,")
   */
  public record Chosen(Map<String, List<String>> openers, Map<String, List<String>> principles,
      Map<String, List<String>> advice, List<String> closers, List<String> blsFacts,
      Map<String, List<String>> blsComments, List<String> leadIns) {}

  /**
   * Rejected-answer sentences, by role.
   *
   * @param openers a short agreeing opener
   * @param claimOpeners an opener that restates the {@code {claim}}
   * @param reasons a biased justification, per category
   * @param support anecdote or appeal to common sense, for any category
   * @param closers a dismissive closing sentence
   * @param offTopicOpeners how an off-topic answer starts
   * @param offTopic off-topic passages, each a list of sentences read in order
   * @param lowQuality vague, circular or evasive sentences
   */
  public record Rejected(List<String> openers, List<String> claimOpeners, Map<String, List<String>> reasons,
      List<String> support, List<String> closers, List<String> offTopicOpeners, List<List<String>> offTopic,
      List<String> lowQuality) {}

  /** Shared pools. */
  public record Pools(Map<String, Group> groups, Map<String, List<String>> groupKeywords,
      Map<String, List<String>> gestTopics, List<String> askers, List<String> places,
      Map<String, Setting> settings, Map<String, List<String>> scenarios, Map<String, List<String>> questions,
      List<String> questionLeadIns, List<String> relations, Chosen chosen, Rejected rejected) {}

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

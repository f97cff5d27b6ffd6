package org.genderalign.builder.generate.template;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.genderalign.builder.text.Shingles;

/**
 * Works out what a seed is about without quoting it: the gender group it targets, its themes
 * ranked by keyword evidence, an occupation it names and the setting it happens in (work,
 * school, online, …). Thread-safe.
 */
public final class SeedAnalyzer {

  /** An occupation named in a text: its BLS title and the phrase answers use. */
  public record Occupation(String blsTitle, String phrase) {}

  /**
   * @param group group id (key of {@code pools.groups})
   * @param themes theme ids with keyword hits, best first (may be empty)
   * @param occupation an occupation the text names, or null
   * @param setting the setting with the most keyword hits (key of {@code pools.settings}), or null
   */
  public record Analysis(String group, List<String> themes, Occupation occupation, String setting) {}

  private static final Set<String> WOMEN = Set.of("women", "woman", "she", "her", "hers", "herself", "female", "females",
      "wife", "wives", "lady", "ladies", "girlfriend", "bitch", "bitches", "feminist", "feminists", "mrs", "ms");
  private static final List<String> MARGINALIZED_FIRST = List.of("trans", "nonbinary", "gay", "lgbtq", "girls", "mothers");

  private final TemplateBank bank;
  private final List<Pattern> occupationPatterns = new ArrayList<>();
  private final List<Occupation> occupations = new ArrayList<>();

  public SeedAnalyzer(TemplateBank bank) {
    this.bank = bank;
    try (InputStream in = SeedAnalyzer.class.getResourceAsStream("/org/genderalign/builder/template/occupations.tsv")) {
      if (in == null) {
        throw new IllegalStateException("occupations.tsv resource missing");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        occupationPatterns.add(Pattern.compile("\\b(?:" + f[0] + ")\\b", Pattern.CASE_INSENSITIVE));
        occupations.add(new Occupation(f[1], f[2]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Analyses a text; {@code topicLabel} is a seed's source topic (e.g. {@code gest:13}) or null. */
  public Analysis analyze(String text, String topicLabel) {
    List<String> tokens = Shingles.tokens(text);
    Set<String> tokenSet = new HashSet<>(tokens);
    String lower = " " + String.join(" ", tokens) + " ";
    String group = detectGroup(tokenSet);
    List<String> themes = rankThemes(tokenSet, lower);
    if (topicLabel != null && topicLabel.startsWith("gest:")) {
      List<String> gt = bank.pools().gestTopics().get(topicLabel.substring(5));
      if (gt != null) {
        group = gt.get(0);
        themes.remove(gt.get(1));
        themes.add(0, gt.get(1));
      }
    }
    return new Analysis(group, List.copyOf(themes), detectOccupation(text), detectSetting(tokenSet));
  }

  private String detectSetting(Set<String> tokens) {
    String best = null;
    int bestHits = 0;
    // Settings in file order; the first with the most hits wins.
    for (var e : bank.pools().settings().entrySet()) {
      int hits = 0;
      for (String k : e.getValue().keywords()) {
        if (tokens.contains(k)) {
          hits++;
        }
      }
      if (hits > bestHits) {
        bestHits = hits;
        best = e.getKey();
      }
    }
    return best;
  }

  private String detectGroup(Set<String> tokens) {
    for (String g : MARGINALIZED_FIRST) {
      for (String k : bank.pools().groupKeywords().get(g)) {
        if (tokens.contains(k)) {
          return g;
        }
      }
    }
    for (String k : WOMEN) {
      if (tokens.contains(k)) {
        return "women";
      }
    }
    for (String k : bank.pools().groupKeywords().get("men")) {
      if (tokens.contains(k)) {
        return "men";
      }
    }
    return "women";
  }

  private List<String> rankThemes(Set<String> tokens, String lower) {
    record Hit(String id, int score, int order) {}
    List<Hit> hits = new ArrayList<>();
    int order = 0;
    for (TemplateBank.Theme t : bank.themes()) {
      int score = 0;
      for (String k : t.keywords()) {
        if (k.indexOf(' ') >= 0 || k.indexOf('-') >= 0 || k.indexOf('/') >= 0) {
          if (lower.contains(" " + String.join(" ", Shingles.tokens(k)) + " ")) {
            score += 2;
          }
        } else if (tokens.contains(k) || tokens.contains(k + "s") || tokens.contains(k + "es")) {
          score++;
        }
      }
      if (score > 0) {
        hits.add(new Hit(t.id(), score, order));
      }
      order++;
    }
    hits.sort(Comparator.comparingInt((Hit h) -> -h.score()).thenComparingInt(Hit::order));
    List<String> out = new ArrayList<>();
    for (Hit h : hits) {
      out.add(h.id());
    }
    return out;
  }

  private Occupation detectOccupation(String text) {
    Occupation best = null;
    int bestLen = 0;
    for (int i = 0; i < occupationPatterns.size(); i++) {
      Matcher m = occupationPatterns.get(i).matcher(text);
      if (m.find() && m.end() - m.start() > bestLen) {
        bestLen = m.end() - m.start();
        best = occupations.get(i);
      }
    }
    return best;
  }

  /** All occupations the analyser knows (for tests). */
  List<Occupation> occupations() {
    return List.copyOf(occupations);
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}

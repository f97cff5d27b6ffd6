package org.genderalign.builder.generate.template;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.genderalign.builder.generate.Answer;
import org.genderalign.builder.generate.Dialogue;
import org.genderalign.builder.generate.DialogueWriter;
import org.genderalign.builder.generate.RejectedRequest;
import org.genderalign.builder.generate.RejectedWriter;
import org.genderalign.builder.seed.Seed;
import org.genderalign.builder.text.Rng;
import org.genderalign.core.dataset.LengthSummary;

/**
 * The offline backend. For seed {@code s} and dialogue {@code k} it picks a theme (k = 0: the
 * seed's strongest theme; k = 1: its second theme or another theme of its category; k ≥ 2: a
 * theme of a category drawn with {@link #BROADENING} weights, so that the data set covers all four
 * categories as the paper's did), an angle (a direct question, a request for advice, a request for
 * evidence), and writes a question about the theme's claim — never the seed's words, but its
 * group, theme, occupation and setting.
 *
 * <p>Both answers are composed from interchangeable sentences of several roles, drawn per pair.
 * The chosen answer: a stance, evidence of the theme, a BLS figure where an occupation is
 * relevant, a principle of the category, advice and a closer. The rejected answer endorses the
 * claim (an opener that may restate it, the theme's endorsement, a biased reason of the category,
 * an anecdote, a dismissive closer), or is off-topic or low quality, with the configured weights.
 *
 * <p>Length is drawn, not implied by the side: the chosen answer aims at a word count drawn from
 * a log-normal distribution (median {@value #MEDIAN_WORDS} words), the rejected answer at the
 * chosen answer's word count times a log-normal factor with median 1, so the longer answer is
 * the chosen one in about half of the pairs — as in the real release (41%) — and length
 * teaches nothing about the preference. Sentences are added while they bring the answer closer
 * to its target, and never past {@link #PAIR_CHAR_BUDGET} characters of prompt + answer, so
 * that a pair fits a 256-token training sequence of the stories260K tokenizer.
 *
 * <p>Every choice comes from {@link Rng#of(long, Object...)} keyed by (build seed, seed id, k),
 * so output does not depend on order, threads or resumption.
 */
public final class TemplateGenerator implements DialogueWriter, RejectedWriter {

  /** Question angles, one per dialogue slot (rotated per seed). */
  public static final List<String> ANGLES = List.of("direct", "advice", "evidence");
  static final List<String> CATEGORIES = List.of("stereotypes", "discriminatory_language",
      "occupational_educational_sexism", "marginalized_gender_bias");
  /**
   * Category weights of the third and later dialogues, which broaden the seed's issue: the
   * mirrored seed corpora are mostly about online abuse and women at work, and their first two
   * dialogues follow the seed, so bias against marginalized genders — which few seeds raise —
   * gets most of the room here, towards the paper's balanced mix (without it the balanced mix
   * needs a second generation round to fill that category).
   */
  static final Map<String, Double> BROADENING = new TreeMap<>(Map.of(
      "marginalized_gender_bias", 0.6, "discriminatory_language", 0.3,
      "stereotypes", 0.05, "occupational_educational_sexism", 0.05));

  /** Categories whose themes are traits that can be compared between groups. */
  static final List<String> TRAIT_CATEGORIES = List.of("stereotypes", "occupational_educational_sexism");

  /** Median target length of a chosen answer, in words (the release sample's: 34). */
  public static final double MEDIAN_WORDS = 30;
  /** Log-normal spread of the chosen target: p10 ≈ 21, p90 ≈ 43 words. */
  static final double SIGMA_WORDS = 0.28;
  /** Bounds of the chosen target. */
  static final int MIN_WORDS = 14;
  static final int MAX_WORDS = 50;
  /**
   * Log-normal spread of rejected/chosen target ratio: the ratio's p10–p90 is about 0.64–1.57
   * (the release's 0.39–2.13 is wider, but its rejected answers were free-running model text).
   */
  static final double SIGMA_RATIO = 0.35;
  /** Shortest rejected target, in words. */
  static final int MIN_REJECTED_WORDS = 8;
  /**
   * Characters of prompt + one answer that a pair may take. The stories260K tokenizer (512
   * pieces) spends about 0.59 tokens per character of this English (p99 0.70), so 360
   * characters stay under 254 tokens + BOS + EOS = the {@code run} command's 256.
   */
  public static final int PAIR_CHAR_BUDGET = 360;
  /** Longest prompt: a scenario that would make it longer is left out. */
  static final int MAX_PROMPT_CHARS = 150;
  /** Chance that a question is preceded by the asker's situation. */
  static final double SCENARIO_CHANCE = 0.4;

  private static final Pattern SLOT = Pattern.compile("\\{([A-Za-z]+)\\}");
  private static final Pattern ALTERNATION = Pattern.compile("\\[([^\\[\\]]*)\\]");
  private static final Pattern DOUBLE_SPACE = Pattern.compile(" {2,}");
  private static final Pattern SPACE_BEFORE_PUNCTUATION = Pattern.compile(" ([,.;:?!])");
  /** Chance that a question starts with a lead-in ("Quick question."). */
  static final double QUESTION_LEAD_IN_CHANCE = 0.25;
  /** Chance that a piece of evidence starts with a lead-in ("For example, …"). */
  static final double EVIDENCE_LEAD_IN_CHANCE = 0.55;

  private final TemplateBank bank;
  private final SeedAnalyzer analyzer;
  private final BlsOccupations bls;
  private final long seed;
  private final Map<String, Double> styles;

  /**
   * @param bank text material
   * @param bls BLS figures
   * @param seed build seed
   * @param rejectedStyles style → weight ({@code endorse}, {@code off_topic}, {@code low_quality})
   */
  public TemplateGenerator(TemplateBank bank, BlsOccupations bls, long seed, Map<String, Double> rejectedStyles) {
    this.bank = bank;
    this.analyzer = new SeedAnalyzer(bank);
    this.bls = bls;
    this.seed = seed;
    this.styles = new TreeMap<>(rejectedStyles);
  }

  @Override
  public String name() {
    return "template";
  }

  @Override
  public void close() {
    // Nothing to release: the template backend holds only in-memory text.
  }

  @Override
  public String describe() {
    return "template (offline; " + bank.themes().size() + " themes; rejected styles " + styles
        + "; length-matched answers, median " + (int) MEDIAN_WORDS + " words, prompt + answer ≤ "
        + PAIR_CHAR_BUDGET + " characters)";
  }

  @Override
  public List<List<Dialogue>> write(List<Seed> seeds, int perSeed) {
    List<List<Dialogue>> out = new ArrayList<>(seeds.size());
    for (Seed s : seeds) {
      out.add(dialogues(s, perSeed));
    }
    return out;
  }

  /** The dialogues of one seed. */
  public List<Dialogue> dialogues(Seed s, int perSeed) {
    SeedAnalyzer.Analysis a = analyzer.analyze(s.text(), s.topic());
    List<Dialogue> out = new ArrayList<>(perSeed);
    List<String> used = new ArrayList<>();
    int rotation = (int) Math.floorMod(Rng.hash64(s.id()), (long) ANGLES.size());
    for (int k = 0; k < perSeed; k++) {
      Rng rng = Rng.of(seed, s.id(), k, "dialogue");
      TemplateBank.Theme theme = chooseTheme(a, s.hint(), k, used, rng);
      used.add(theme.id());
      String angle = ANGLES.get((k + rotation) % ANGLES.size());
      String groupId = theme.groups().contains(a.group()) ? a.group() : theme.groups().get(0);
      Map<String, String> slots = slots(theme, groupId, a.setting(), rng);
      String claim = fill(rng.pick(theme.claimsFor(groupId)), slots, rng);
      slots.put("claim", claim);
      String qKey = angle;
      if ("evidence".equals(angle) && TRAIT_CATEGORIES.contains(theme.category()) && rng.chance(0.3)) {
        qKey = "evidence_trait";
      } else if ("direct".equals(angle) && TRAIT_CATEGORIES.contains(theme.category()) && rng.chance(0.2)) {
        // "Is it biology?" only makes sense for claims about traits.
        qKey = "direct_trait";
      } else if ("evidence".equals(angle) && "discriminatory_language".equals(theme.category())) {
        // Claims that abuse is harmless or deserved ask about its effects, not for statistics.
        qKey = "evidence_harm";
      }
      String question = sentence(fill(rng.pick(bank.pools().questions().get(qKey)), slots, rng));
      if (rng.chance(QUESTION_LEAD_IN_CHANCE)) {
        question = fill(rng.pick(bank.pools().questionLeadIns()), slots, rng) + " " + question;
      } else if (rng.chance(SCENARIO_CHANCE)) {
        String withScenario = fill(rng.pick(bank.pools().scenarios().get(theme.category())), slots, rng)
            + " " + question;
        if (withScenario.length() <= MAX_PROMPT_CHARS) {
          question = withScenario;
        }
      }
      int target = chosenTarget(rng);
      String chosen = chosen(theme, groupId, angle, a.occupation(), slots, rng, target,
          PAIR_CHAR_BUDGET - question.length());
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("theme", theme.id());
      meta.put("angle", angle);
      meta.put("group", groupId);
      meta.put("intended_category", theme.category());
      meta.put("claim", claim);
      if (a.setting() != null) {
        meta.put("setting", a.setting());
      }
      out.add(Dialogue.of(k, question, chosen, meta));
    }
    return out;
  }

  /** A chosen-answer target: log-normal around {@link #MEDIAN_WORDS}, within the bounds. */
  static int chosenTarget(Rng rng) {
    long w = Math.round(MEDIAN_WORDS * Math.exp(SIGMA_WORDS * rng.gaussian()));
    return (int) Math.max(MIN_WORDS, Math.min(MAX_WORDS, w));
  }

  /** A rejected-answer target: the chosen answer's length times a log-normal factor of median 1. */
  static int rejectedTarget(int chosenWords, Rng rng) {
    long w = Math.round(chosenWords * Math.exp(SIGMA_RATIO * rng.gaussian()));
    return (int) Math.max(MIN_REJECTED_WORDS, w);
  }

  private TemplateBank.Theme chooseTheme(SeedAnalyzer.Analysis a, String hint, int k, List<String> used, Rng rng) {
    List<String> ranked = a.themes();
    if (k < ranked.size() && k < 2) {
      return bank.theme(ranked.get(k));
    }
    String category;
    if (k < 2) {
      category = hint != null && CATEGORIES.contains(hint) ? hint
          : !used.isEmpty() ? bank.theme(used.get(0)).category() : rng.pick(CATEGORIES);
    } else {
      category = rng.weighted(BROADENING);
    }
    List<TemplateBank.Theme> options = new ArrayList<>();
    for (TemplateBank.Theme t : bank.themes()) {
      if (t.category().equals(category) && !used.contains(t.id())) {
        options.add(t);
      }
    }
    return options.isEmpty() ? bank.theme(ranked.isEmpty() ? bank.themes().get(0).id() : ranked.get(0)) : rng.pick(options);
  }

  private Map<String, String> slots(TemplateBank.Theme theme, String groupId, String setting, Rng rng) {
    TemplateBank.Group g = bank.pools().groups().get(groupId);
    Map<String, String> slots = new HashMap<>();
    slots.put("group", g.group());
    slots.put("other", g.other());
    slots.put("topic", theme.topic());
    slots.put("asker", rng.pick(bank.pools().askers()));
    TemplateBank.Setting st = setting == null ? null : bank.pools().settings().get(setting);
    // The seed's own setting most of the time, so that questions stay close to its issue.
    slots.put("place", rng.pick(st != null && rng.chance(0.75) ? st.places() : bank.pools().places()));
    slots.put("relation", rng.pick(bank.pools().relations()));
    return slots;
  }

  /** A sentence part at an ordering position. */
  private record Part(int position, String text) {}

  /**
   * Builds an answer: the required parts first (each the first of its options that fits the
   * budget), then optional parts in a random order, each kept only if it brings the word count
   * closer to {@code target} and the answer stays within {@code maxChars}; parts come out in
   * position order.
   */
  private static String compose(List<List<Part>> required, List<Part> optional, int target, int maxChars, Rng rng) {
    List<Part> chosen = new ArrayList<>();
    int words = 0;
    int chars = -1;
    for (List<Part> options : required) {
      Part pick = null;
      for (Part p : options) {
        if (chars + 1 + p.text().length() <= maxChars) {
          pick = p;
          break;
        }
      }
      if (pick == null && chosen.isEmpty()) {
        // Nothing fits (a very long prompt from another backend): the shortest first part.
        pick = options.stream().min(Comparator.comparingInt(p -> p.text().length())).orElseThrow();
      }
      if (pick != null) {
        chosen.add(pick);
        words += LengthSummary.words(pick.text());
        chars += 1 + pick.text().length();
      }
    }
    for (Part p : rng.shuffled(optional)) {
      if (chosen.stream().anyMatch(c -> c.text().equals(p.text()))) {
        continue;
      }
      int w = LengthSummary.words(p.text());
      if (Math.abs(words + w - target) < Math.abs(words - target) && chars + 1 + p.text().length() <= maxChars) {
        chosen.add(p);
        words += w;
        chars += 1 + p.text().length();
      }
    }
    chosen.sort(Comparator.comparingInt(Part::position));
    StringBuilder sb = new StringBuilder();
    for (Part p : chosen) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(p.text());
    }
    return sb.toString();
  }

  private String chosen(TemplateBank.Theme theme, String groupId, String angle, SeedAnalyzer.Occupation occ,
      Map<String, String> slots, Rng rng, int target, int maxChars) {
    TemplateBank.Chosen c = bank.pools().chosen();
    List<String> evidence = rng.shuffled(theme.evidence());
    List<List<Part>> required = new ArrayList<>();
    List<Part> optional = new ArrayList<>();
    Part opener = new Part(0, sentence(fill(rng.pick(c.openers().get(angle)), slots, rng)));
    // Most answers state their stance first; some go straight to the evidence (then without a
    // lead-in such as "In fact,", which needs a sentence before it).
    boolean stance = rng.chance(0.8);
    if (stance) {
      required.add(List.of(opener));
    } else {
      optional.add(opener);
    }
    List<Part> first = new ArrayList<>();
    String fact = blsFact(theme, groupId, occ, slots, rng);
    // A BLS figure for the occupation at issue is the best evidence there is on an occupational
    // theme: it leads when the question asks for evidence, and otherwise half of the time.
    boolean occupational = "occupational_educational_sexism".equals(theme.category());
    boolean factFirst = fact != null && occupational && ("evidence".equals(angle) || rng.chance(0.5));
    if (factFirst) {
      first.add(new Part(20, fact));
    }
    for (String e : evidence) {
      first.add(new Part(20, stance ? evidence(e, slots, rng) : sentence(fill(e, slots, rng))));
    }
    required.add(first);
    // The optional parts: another piece of evidence, a BLS figure, a principle, advice, a closer.
    if (evidence.size() > 1) {
      optional.add(new Part(30, evidence(evidence.get(factFirst ? 0 : 1), slots, rng)));
    }
    if (fact != null && !factFirst) {
      optional.add(new Part(rng.chance(0.5) ? 10 : 40, fact));
    }
    List<Part> comments = new ArrayList<>(List.of(
        new Part(rng.chance(0.3) ? 5 : 50, sentence(fill(rng.pick(c.principles().get(theme.category())), slots, rng))),
        new Part(60, sentence(fill(rng.pick(c.advice().get(angle)), slots, rng))),
        new Part(70, sentence(fill(rng.pick(c.closers()), slots, rng)))));
    if (!stance) {
      // Without a stance the answer still says more than one fact: a principle, advice or closer.
      required.add(List.of(comments.remove(rng.nextInt(comments.size()))));
    }
    optional.addAll(comments);
    return compose(required, optional, target, maxChars, rng);
  }

  /** A piece of evidence, sometimes introduced by a lead-in ("For example, …"). */
  private String evidence(String template, Map<String, String> slots, Rng rng) {
    String e = sentence(fill(template, slots, rng));
    if (!rng.chance(EVIDENCE_LEAD_IN_CHANCE)) {
      return e;
    }
    return fill(rng.pick(bank.pools().chosen().leadIns()), slots, rng) + " " + decapitalize(e);
  }

  /** Lower-cases the first letter unless the first word is an acronym ("IQ", "LGBTQ+"). */
  static String decapitalize(String s) {
    if (s.length() < 2 || !Character.isUpperCase(s.charAt(0)) || Character.isUpperCase(s.charAt(1))) {
      return s;
    }
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  private String blsFact(TemplateBank.Theme theme, String groupId, SeedAnalyzer.Occupation occ,
      Map<String, String> slots, Rng rng) {
    if (theme.groupClaims().containsKey(groupId)) {
      // Claims written for this group (e.g. men and toughness) are not about who works where.
      return null;
    }
    String title = null;
    String phrase = null;
    // A named occupation is only relevant to an occupational theme.
    if (occ != null && bls.percentWomen(occ.blsTitle()) != null
        && "occupational_educational_sexism".equals(theme.category())) {
      title = occ.blsTitle();
      phrase = occ.phrase();
    } else if (!theme.occupations().isEmpty()) {
      title = rng.pick(theme.occupations());
      phrase = phraseOf(title);
    }
    if (title == null || bls.percentWomen(title) == null) {
      return null;
    }
    String pct = bls.percentWomen(title);
    double p = Double.parseDouble(pct);
    TemplateBank.Chosen c = bank.pools().chosen();
    String level = p < 30 ? "low" : p > 70 ? "high" : "mid";
    Map<String, String> s = new HashMap<>(slots);
    s.put("pct", pct);
    s.put("occupation", phrase);
    return sentence(fill(rng.pick(c.blsFacts()), s, rng)) + " " + sentence(fill(rng.pick(c.blsComments().get(level)), s, rng));
  }

  private String phraseOf(String blsTitle) {
    for (SeedAnalyzer.Occupation o : analyzer.occupations()) {
      if (o.blsTitle().equals(blsTitle)) {
        return o.phrase();
      }
    }
    return blsTitle.toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public List<Answer> answer(List<RejectedRequest> requests) {
    List<Answer> out = new ArrayList<>(requests.size());
    for (RejectedRequest r : requests) {
      out.add(rejected(r));
    }
    return out;
  }

  /** One rejected answer. */
  public Answer rejected(RejectedRequest r) {
    Rng rng = Rng.of(seed, r.seed().id(), r.dialogue().index(), "rejected");
    Map<String, Object> dm = r.dialogue().meta();
    TemplateBank.Theme theme;
    String groupId;
    String claim;
    String setting = dm.get("setting") instanceof String st ? st : null;
    if (dm.get("theme") instanceof String t && dm.get("group") instanceof String g) {
      theme = bank.theme(t);
      groupId = g;
      claim = dm.get("claim") instanceof String cl ? cl : null;
    } else {
      // Dialogues from another backend: work out theme and group from the question itself.
      SeedAnalyzer.Analysis a = analyzer.analyze(r.question(), null);
      theme = a.themes().isEmpty() ? bank.theme("roles") : bank.theme(a.themes().get(0));
      groupId = theme.groups().contains(a.group()) ? a.group() : theme.groups().get(0);
      claim = null;
      setting = a.setting();
    }
    Map<String, String> slots = slots(theme, groupId, setting, rng);
    String style = rng.weighted(styles);
    int target = rejectedTarget(LengthSummary.words(r.dialogue().chosen()), rng);
    int maxChars = PAIR_CHAR_BUDGET - r.question().length();
    TemplateBank.Rejected rj = bank.pools().rejected();
    List<List<Part>> required = new ArrayList<>();
    List<Part> optional = new ArrayList<>();
    switch (style) {
      case "endorse" -> {
        if (claim != null) {
          slots.put("claim", claim);
        }
        Part opener = claim != null && rng.chance(0.45)
            ? new Part(0, sentence(fill(rng.pick(rj.claimOpeners()), slots, rng)))
            : new Part(0, sentence(fill(rng.pick(rj.openers()), slots, rng)));
        if (rng.chance(0.75)) {
          required.add(List.of(opener));
        }
        List<Part> endorse = new ArrayList<>();
        for (String e : rng.shuffled(theme.endorseFor(groupId))) {
          endorse.add(new Part(10, sentence(fill(e, slots, rng))));
        }
        required.add(endorse);
        if (endorse.size() > 1) {
          optional.add(new Part(30, endorse.get(1).text()));
        }
        optional.add(new Part(rng.chance(0.5) ? 20 : 40, sentence(fill(rng.pick(rj.reasons().get(theme.category())), slots, rng))));
        optional.add(new Part(50, sentence(fill(rng.pick(rj.support()), slots, rng))));
        optional.add(new Part(60, sentence(fill(rng.pick(rj.closers()), slots, rng))));
      }
      case "off_topic" -> {
        if (rng.chance(0.6)) {
          required.add(List.of(new Part(0, sentence(fill(rng.pick(rj.offTopicOpeners()), slots, rng)))));
        }
        List<String> passage = rng.pick(rj.offTopic());
        // A passage opens with its first sentence; the others are interchangeable tips or
        // details, taken in a random order while they bring the answer closer to its target.
        required.add(List.of(new Part(10, sentence(fill(passage.get(0), slots, rng)))));
        List<String> rest = rng.shuffled(passage.subList(1, passage.size()));
        for (int i = 0; i < rest.size(); i++) {
          optional.add(new Part(11 + i, sentence(fill(rest.get(i), slots, rng))));
        }
        return done(composeInOrder(required, optional, target, maxChars), style);
      }
      default -> {
        List<String> vague = rng.shuffled(rj.lowQuality());
        required.add(List.of(new Part(0, sentence(fill(vague.get(0), slots, rng)))));
        for (int i = 1; i < Math.min(vague.size(), 8); i++) {
          optional.add(new Part(i, sentence(fill(vague.get(i), slots, rng))));
        }
        return done(composeInOrder(required, optional, target, maxChars), style);
      }
    }
    return done(compose(required, optional, target, maxChars, rng), style);
  }

  private static Answer done(String text, String style) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("rejected_style", style);
    return Answer.of(text, meta);
  }

  /**
   * As {@link #compose} but optional parts are offered in their given order and the first that
   * would not help ends the answer (a passage must not skip sentences).
   */
  private static String composeInOrder(List<List<Part>> required, List<Part> optional, int target, int maxChars) {
    StringBuilder sb = new StringBuilder();
    int words = 0;
    for (List<Part> options : required) {
      String t = options.get(0).text();
      if (sb.length() > 0 && sb.length() + 1 + t.length() > maxChars) {
        continue;
      }
      sb.append(sb.length() > 0 ? " " : "").append(t);
      words += LengthSummary.words(t);
    }
    for (Part p : optional) {
      int w = LengthSummary.words(p.text());
      if (Math.abs(words + w - target) >= Math.abs(words - target) || sb.length() + 1 + p.text().length() > maxChars) {
        break;
      }
      sb.append(' ').append(p.text());
      words += w;
    }
    return sb.toString();
  }

  /** Upper-cases the first letter (a part may start with a slot such as {@code {group}}). */
  static String sentence(String s) {
    if (s.isEmpty() || !Character.isLowerCase(s.charAt(0))) {
      return s;
    }
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** As {@link #fill(String, Map, Rng)} for templates without alternatives. */
  static String fill(String template, Map<String, String> slots) {
    if (ALTERNATION.matcher(template).find()) {
      throw new IllegalStateException("template has alternatives but no random stream: " + template);
    }
    return fill(template, slots, null);
  }

  /**
   * Picks one alternative of each {@code [a|b]} (innermost first), then replaces {@code {name}}
   * slots; {@code {Name}} capitalises the value.
   */
  static String fill(String template, Map<String, String> slots, Rng rng) {
    String t = template;
    Matcher alt = ALTERNATION.matcher(t);
    while (alt.find()) {
      String[] options = alt.group(1).split("\\|", -1);
      String pick = options[rng.nextInt(options.length)];
      t = t.substring(0, alt.start()) + pick + t.substring(alt.end());
      alt = ALTERNATION.matcher(t);
    }
    Matcher m = SLOT.matcher(t);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String key = m.group(1);
      String lowerKey = Character.toLowerCase(key.charAt(0)) + key.substring(1);
      String v = slots.get(lowerKey);
      if (v == null) {
        throw new IllegalStateException("template slot {" + key + "} has no value in: " + template);
      }
      if (Character.isUpperCase(key.charAt(0)) && !v.isEmpty()) {
        v = Character.toUpperCase(v.charAt(0)) + v.substring(1);
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(v));
    }
    m.appendTail(sb);
    // An empty alternative can leave a double space or a space before punctuation.
    String out = DOUBLE_SPACE.matcher(sb).replaceAll(" ");
    return SPACE_BEFORE_PUNCTUATION.matcher(out).replaceAll("$1").strip();
  }
}

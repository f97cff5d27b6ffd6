package org.genderalign.builder.generate.template;

import java.util.ArrayList;
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

/**
 * The offline backend. For seed {@code s} and dialogue {@code k} it picks a theme (k = 0: the
 * seed's strongest theme; k = 1: its second theme or another theme of its category; k ≥ 2: a
 * theme of a category drawn with {@link #BROADENING} weights, so that the data set covers all four
 * categories as the paper's did), an angle (a direct question, a request for advice, a request for evidence), and
 * writes a question about the theme's claim — never the seed's words. The chosen answer is
 * composed from neutral fragments: an opener, evidence sentences, a BLS figure where an
 * occupation is relevant, a principle of the category, advice and a closer. The rejected answer
 * endorses the claim, or is off-topic or low quality, with the configured weights. Every choice
 * comes from {@link Rng#of(long, Object...)} keyed by (build seed, seed id, k), so output does
 * not depend on order, threads or resumption.
 */
public final class TemplateGenerator implements DialogueWriter, RejectedWriter {

  /** Question angles, one per dialogue slot (rotated per seed). */
  public static final List<String> ANGLES = List.of("direct", "advice", "evidence");
  static final List<String> CATEGORIES = List.of("stereotypes", "discriminatory_language",
      "occupational_educational_sexism", "marginalized_gender_bias");
  /**
   * Category weights of the third and later dialogues, which broaden the seed's issue: the
   * mirrored seed corpora are mostly about women at work and in online abuse, so bias against
   * marginalized genders and discriminatory language get more room here, towards the paper's
   * balanced mix.
   */
  static final Map<String, Double> BROADENING = new TreeMap<>(Map.of(
      "marginalized_gender_bias", 0.4, "discriminatory_language", 0.5,
      "stereotypes", 0.05, "occupational_educational_sexism", 0.05));

  /** Categories whose themes are traits that can be compared between groups. */
  static final List<String> TRAIT_CATEGORIES = List.of("stereotypes", "occupational_educational_sexism");
  private static final Pattern SLOT = Pattern.compile("\\{([A-Za-z]+)\\}");

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
    return "template (offline; " + bank.themes().size() + " themes; rejected styles " + styles + ")";
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
      Map<String, String> slots = slots(theme, groupId, rng);
      String claim = fill(rng.pick(theme.claims()), slots);
      slots.put("claim", claim);
      String qKey = "evidence".equals(angle) && TRAIT_CATEGORIES.contains(theme.category()) && rng.chance(0.3)
          ? "evidence_trait" : angle;
      String question = fill(rng.pick(bank.pools().questions().get(qKey)), slots);
      if (rng.chance(0.65)) {
        question = rng.pick(bank.pools().scenarios().get(theme.category())) + " " + question;
      }
      String chosen = chosen(theme, angle, a.occupation(), slots, rng);
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("theme", theme.id());
      meta.put("angle", angle);
      meta.put("group", groupId);
      meta.put("intended_category", theme.category());
      meta.put("claim", claim);
      out.add(Dialogue.of(k, question, chosen, meta));
    }
    return out;
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

  private Map<String, String> slots(TemplateBank.Theme theme, String groupId, Rng rng) {
    TemplateBank.Group g = bank.pools().groups().get(groupId);
    Map<String, String> slots = new HashMap<>();
    slots.put("group", g.group());
    slots.put("other", g.other());
    slots.put("topic", theme.topic());
    slots.put("asker", rng.pick(bank.pools().askers()));
    slots.put("place", rng.pick(bank.pools().places()));
    slots.put("relation", rng.pick(bank.pools().relations()));
    return slots;
  }

  private String chosen(TemplateBank.Theme theme, String angle, SeedAnalyzer.Occupation occ,
      Map<String, String> slots, Rng rng) {
    TemplateBank.Chosen c = bank.pools().chosen();
    List<String> parts = new ArrayList<>();
    parts.add(rng.pick(c.openers().get(angle)));
    List<String> evidence = new ArrayList<>(theme.evidence());
    int nEvidence = Math.min(evidence.size(), 1 + rng.nextInt(2) + ("evidence".equals(angle) ? 1 : 0));
    List<String> middle = new ArrayList<>();
    for (int i = 0; i < nEvidence; i++) {
      middle.add(evidence.remove(rng.nextInt(evidence.size())));
    }
    String fact = blsFact(theme, occ, angle, slots, rng);
    if (fact != null) {
      middle.add(rng.nextInt(middle.size() + 1), fact);
    }
    parts.addAll(middle);
    String principle = rng.pick(c.principles().get(theme.category()));
    if (rng.chance(0.3)) {
      parts.add(1, principle);
    } else {
      parts.add(principle);
    }
    parts.add(rng.pick(c.advice().get(angle)));
    String closer = rng.pick(c.closers());
    if (!closer.isEmpty()) {
      parts.add(closer);
    }
    StringBuilder sb = new StringBuilder();
    int breakAt = parts.size() >= 5 && rng.chance(0.5) ? 1 + rng.nextInt(parts.size() - 2) : -1;
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        sb.append(i == breakAt ? "\n\n" : " ");
      }
      sb.append(fill(parts.get(i), slots));
    }
    return sb.toString();
  }

  private String blsFact(TemplateBank.Theme theme, SeedAnalyzer.Occupation occ, String angle,
      Map<String, String> slots, Rng rng) {
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
    if (title == null || bls.percentWomen(title) == null || !("evidence".equals(angle) || rng.chance(0.6))) {
      return null;
    }
    String pct = bls.percentWomen(title);
    double p = Double.parseDouble(pct);
    TemplateBank.Chosen c = bank.pools().chosen();
    String level = p < 30 ? "low" : p > 70 ? "high" : "mid";
    Map<String, String> s = new HashMap<>(slots);
    s.put("pct", pct);
    s.put("occupation", phrase);
    return fill(rng.pick(c.blsFacts()), s) + " " + rng.pick(c.blsComments().get(level));
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
    }
    Map<String, String> slots = slots(theme, groupId, rng);
    String style = rng.weighted(styles);
    TemplateBank.Rejected rj = bank.pools().rejected();
    String text;
    switch (style) {
      case "endorse" -> {
        StringBuilder sb = new StringBuilder();
        String opener = claim != null && rng.chance(0.3) ? "Yes, " + claim + "." : rng.pick(rj.endorseOpeners());
        sb.append(opener);
        sb.append(sb.length() > 0 ? " " : "").append(rng.pick(theme.endorse()));
        if (rng.chance(0.6)) {
          sb.append(' ').append(rng.pick(rj.endorseByCategory().get(theme.category())));
        }
        text = sb.toString();
      }
      case "off_topic" -> text = rng.pick(rj.offTopic());
      default -> text = rng.pick(rj.lowQuality());
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("rejected_style", style);
    return Answer.of(fill(text, slots), meta);
  }

  /** Replaces {@code {name}} slots; {@code {Name}} capitalises the value. */
  static String fill(String template, Map<String, String> slots) {
    Matcher m = SLOT.matcher(template);
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
    return sb.toString();
  }
}

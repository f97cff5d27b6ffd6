package org.genderalign.builder.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.genderalign.builder.audit.DatasetAudit;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.builder.generate.template.BlsOccupations;
import org.genderalign.builder.generate.template.TemplateBank;
import org.genderalign.builder.generate.template.TemplateGenerator;
import org.genderalign.builder.generate.template.TemplateGeneratorAccess;
import org.genderalign.builder.pipeline.DatasetBuilder;
import org.genderalign.builder.seed.PiiScrubber;
import org.genderalign.builder.seed.Seed;
import org.genderalign.builder.seed.SeedLoader;
import org.genderalign.builder.seed.SeedPreparer;
import org.genderalign.builder.text.Rng;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.dataset.AuditSettings;
import org.genderalign.core.dataset.LengthSummary;
import org.genderalign.core.dataset.ShortcutAudit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TemplateGeneratorTest {

  static DataRoot root;
  static List<Seed> seeds;
  static BlsOccupations bls;
  static TemplateBank bank;

  @BeforeAll
  static void load() throws Exception {
    root = DataRoot.fromEnvironment();
    SeedLoader.Loaded l = SeedLoader.load(root, BuildConfig.DEFAULT_SOURCES, List.of());
    seeds = new SeedPreparer(BuildConfig.DEFAULT_SEED_MIN_CHARS, BuildConfig.DEFAULT_SEED_MAX_CHARS,
        PiiScrubber.create()).prepare(l.seeds()).seeds();
    bls = BlsOccupations.read(root.file("lexicon-bls-occupations"));
    bank = TemplateBank.load();
  }

  private static TemplateGenerator gen(long seed) {
    return new TemplateGenerator(bank, bls, seed, BuildConfig.DEFAULT_REJECTED_STYLES);
  }

  /** The candidates of {@code seedList}: dialogues and their rejected answers, as pairs. */
  private static List<PreferencePair> pairs(TemplateGenerator g, List<Seed> seedList, List<Map<String, Object>> meta) {
    List<List<Dialogue>> ds = g.write(seedList, BuildConfig.DEFAULT_DIALOGUES_PER_SEED);
    List<RejectedRequest> reqs = new ArrayList<>();
    for (int i = 0; i < seedList.size(); i++) {
      for (Dialogue d : ds.get(i)) {
        assertThat(d.failure()).isNull();
        reqs.add(new RejectedRequest(seedList.get(i), d));
      }
    }
    List<Answer> rej = g.answer(reqs);
    List<PreferencePair> out = new ArrayList<>();
    for (int i = 0; i < reqs.size(); i++) {
      Dialogue d = reqs.get(i).dialogue();
      out.add(PreferencePair.builder().id("p" + i).prompt(d.question()).chosen(d.chosen())
          .rejected(rej.get(i).text()).category((String) d.meta().get("intended_category")).build());
      if (meta != null) {
        Map<String, Object> m = new LinkedHashMap<>(d.meta());
        m.putAll(rej.get(i).meta());
        meta.add(m);
      }
    }
    return out;
  }

  @Test
  void sameSeedSameDialoguesWhateverTheOrder() {
    List<Seed> some = seeds.subList(0, 50);
    List<PreferencePair> a = pairs(gen(42), some, null);
    List<Seed> reversed = new ArrayList<>(some);
    Collections.reverse(reversed);
    List<PreferencePair> b = pairs(gen(42), reversed, null);
    // Same texts per seed, whatever the order the seeds came in.
    Set<String> ta = new HashSet<>();
    a.forEach(p -> ta.add(p.prompt() + "|" + p.chosen() + "|" + p.rejected()));
    Set<String> tb = new HashSet<>();
    b.forEach(p -> tb.add(p.prompt() + "|" + p.chosen() + "|" + p.rejected()));
    assertThat(tb).isEqualTo(ta);
    assertThat(pairs(gen(43), some, null)).isNotEqualTo(a);
  }

  @Test
  void questionsNeverQuoteTheSeedAndEveryCategoryAndStyleOccurs() {
    List<Seed> sample = new ArrayList<>();
    for (int i = 0; i < seeds.size(); i += 7) {
      sample.add(seeds.get(i));
    }
    List<Map<String, Object>> meta = new ArrayList<>();
    List<PreferencePair> ps = pairs(gen(7), sample, meta);
    for (int i = 0; i < ps.size(); i++) {
      PreferencePair p = ps.get(i);
      for (String t : List.of(p.prompt(), p.chosen(), p.rejected())) {
        assertThat(t).isNotBlank().doesNotContain("{").doesNotContain("}").doesNotContain("[").doesNotContain("]")
            .doesNotContain("  ").doesNotContain(" ,").doesNotContain(" .");
        assertThat(Character.isUpperCase(t.charAt(0)) || !Character.isLetter(t.charAt(0))).as(t).isTrue();
      }
      Seed s = sample.get(i / BuildConfig.DEFAULT_DIALOGUES_PER_SEED);
      if (s.text().length() > 25) {
        assertThat(p.prompt()).doesNotContain(s.text());
      }
    }
    assertThat(meta.stream().map(m -> m.get("intended_category")).distinct()).hasSize(4);
    assertThat(meta.stream().map(m -> m.get("rejected_style")).distinct())
        .containsExactlyInAnyOrder("endorse", "off_topic", "low_quality");
    assertThat(meta.stream().map(m -> m.get("setting")).distinct()).contains("work", "online", null);
  }

  /**
   * Issue #13's thresholds on the candidates of the default build's first round (1.4 × 8000 pairs
   * from 3,734 seeds), before any filter: the filters and the mix planner are length-neutral
   * (their tests), so what the generator writes is what the data set gets.
   */
  @Test
  void defaultRoundPassesTheShortcutThresholds() {
    int n = (int) Math.ceil(BuildConfig.DEFAULT_TARGET * BuildConfig.DEFAULT_OVERSAMPLE
        / BuildConfig.DEFAULT_DIALOGUES_PER_SEED);
    List<Seed> order = DatasetBuilder.interleave(seeds, BuildConfig.DEFAULT_SOURCES, BuildConfig.DEFAULT_SEED);
    List<PreferencePair> ps = pairs(gen(BuildConfig.DEFAULT_SEED), order.subList(0, n), null);
    assertThat(ps).hasSizeGreaterThan(11_000);
    ToIntFunction<PreferencePair> tokens = DatasetAudit.tokenCounter(root);
    assertThat(tokens).as("stories260K tokenizer in the data root").isNotNull();
    AuditSettings s = AuditSettings.defaults();
    ShortcutAudit a = ShortcutAudit.of(ps, s, tokens);
    assertThat(a.longerChosenShare()).isBetween(0.35, 0.65);
    assertThat(a.lengthRatio().p50()).isBetween(0.7, 1.4);
    // The rejected side's length follows the chosen side's: similar medians.
    assertThat(Math.abs(a.chosen().words().median() - a.rejected().words().median())).isLessThanOrEqualTo(4);
    assertThat(a.chosen().distinctShare()).isGreaterThanOrEqualTo(0.95);
    assertThat(a.rejected().distinctShare()).isGreaterThanOrEqualTo(0.95);
    assertThat(a.chosen().distinct2()).isGreaterThanOrEqualTo(0.45);
    assertThat(a.rejected().distinct2()).isGreaterThanOrEqualTo(0.45);
    assertThat(a.overLengthShare()).isLessThanOrEqualTo(0.01);
    assertThat(a.warnings(s)).isEmpty();
    // Every pair keeps prompt + either answer within the character budget.
    assertThat(ps).allSatisfy(p -> {
      assertThat(p.prompt().length() + p.chosen().length()).isLessThanOrEqualTo(TemplateGenerator.PAIR_CHAR_BUDGET);
      assertThat(p.prompt().length() + p.rejected().length()).isLessThanOrEqualTo(TemplateGenerator.PAIR_CHAR_BUDGET);
    });
    // The intended categories are all well represented before classification.
    Map<String, Integer> cats = new LinkedHashMap<>();
    ps.forEach(p -> cats.merge(p.category(), 1, Integer::sum));
    assertThat(cats.values()).allSatisfy(c -> assertThat(c).isGreaterThan(ps.size() / 10));
  }

  /** The BLS figure quoted next to an occupation is the table's, whatever the wording. */
  @Test
  void blsFiguresAreQuotedExactly() throws Exception {
    Map<String, String> phrases = phrases();
    assertThat(bls.percentWomen("Chief executives")).isEqualTo("29.2");
    assertThat(bls.percentWomen("Registered nurses")).isEqualTo("87.9");
    assertThat(bls.percentWomen("Legislators")).isNull();
    Seed s = new Seed("t-1", "test", "Women should not be CEOs, they can't handle it.", "occupational_educational_sexism");
    assertThat(gen(1).dialogues(s, 3).get(0).meta()).containsEntry("theme", "leadership");
    Pattern figure = Pattern.compile("(\\d+(?:\\.\\d+)?)% of ([a-z ,]+?)(?: in 2022| in the United States| in the US|\\.| \\()");
    int quoted = 0;
    Set<String> occupations = new HashSet<>();
    for (long buildSeed = 0; buildSeed < 300; buildSeed++) {
      for (Dialogue d : gen(buildSeed).dialogues(s, 3)) {
        Matcher m = figure.matcher(d.chosen());
        while (m.find()) {
          quoted++;
          String occupation = m.group(2).strip();
          occupations.add(occupation);
          if (occupation.equals("chief executives")) {
            assertThat(m.group(1)).isEqualTo("29.2");
          }
          // Every quoted figure is the table's for the phrase it is quoted with.
          assertThat(phrases).containsKey(occupation);
          assertThat(m.group(1)).as(d.chosen()).isEqualTo(bls.percentWomen(phrases.get(occupation)));
        }
      }
    }
    // 900 answers of a seed that names CEOs quote the figure often, and for CEOs among others.
    assertThat(quoted).isGreaterThan(50);
    assertThat(occupations).contains("chief executives");
  }

  /** Answer phrase → BLS title, read from the bundled occupations table. */
  static Map<String, String> phrases() throws java.io.IOException {
    Map<String, String> m = new LinkedHashMap<>();
    try (var in = TemplateGeneratorTest.class.getResourceAsStream("/org/genderalign/builder/template/occupations.tsv")) {
      for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          String[] f = line.split("\t");
          m.put(f[2], f[1]);
        }
      }
    }
    bank.themes().forEach(t -> t.occupations().forEach(o -> m.putIfAbsent(o.toLowerCase(java.util.Locale.ROOT), o)));
    return m;
  }

  /** Stereotypes about men get claims written for men, not the women's claims with "men" put in. */
  @Test
  void claimsAboutMenComeFromTheirOwnList() {
    TemplateBank.Theme strength = bank.theme("strength");
    Seed s = new Seed("gest-x", "gest", "He never cries, he is a real tough guy.", null, "gest:8");
    for (long buildSeed = 0; buildSeed < 20; buildSeed++) {
      Dialogue d = gen(buildSeed).dialogues(s, 1).get(0);
      assertThat(d.meta()).containsEntry("theme", "strength").containsEntry("group", "men");
      String claim = (String) d.meta().get("claim");
      assertThat(strength.claimsFor("men")).anySatisfy(c -> assertThat(claim).isEqualTo(c));
      assertThat(strength.claimsFor("men")).isNotEqualTo(strength.claims());
    }
  }

  /** A dialogue from another backend (no template metadata) still gets a length-matched answer. */
  @Test
  void rejectedAnswersForOtherBackendsMatchTheChosenLength() {
    String longChosen = String.join(" ", Collections.nCopies(8,
        "Driving skill depends on training and practice rather than gender."));
    int chosenWords = LengthSummary.words(longChosen);
    List<Integer> lengths = new ArrayList<>();
    TemplateGenerator g = gen(5);
    for (int i = 0; i < 200; i++) {
      Seed s = new Seed("o-" + i, "user", "Women are terrible drivers.", null);
      Dialogue d = Dialogue.of(0, "Are women really worse drivers than men?", longChosen, Map.of());
      Answer a = g.rejected(new RejectedRequest(s, d));
      assertThat(a.text()).isNotBlank();
      assertThat(d.question().length() + a.text().length()).isLessThanOrEqualTo(TemplateGenerator.PAIR_CHAR_BUDGET);
      lengths.add(LengthSummary.words(a.text()));
    }
    Collections.sort(lengths);
    // An 80-word chosen answer does not fit the budget with its question, so the rejected answers
    // fill the budget instead: they are long, never curt.
    assertThat(chosenWords).isEqualTo(80);
    assertThat(lengths.get(lengths.size() / 2)).isGreaterThan(30);
  }

  /** Every line of the bundled material fills: no unknown slot, no unbalanced bracket. */
  @Test
  void everyLineOfTheBankFills() {
    Map<String, String> slots = new LinkedHashMap<>();
    for (String k : List.of("group", "other", "topic", "claim", "asker", "place", "relation", "occupation", "pct")) {
      slots.put(k, "x" + k);
    }
    List<String> lines = new ArrayList<>();
    for (TemplateBank.Theme t : bank.themes()) {
      lines.addAll(t.claims());
      lines.addAll(t.evidence());
      lines.addAll(t.endorse());
      t.groupClaims().values().forEach(lines::addAll);
      t.groupEndorse().values().forEach(lines::addAll);
      assertThat(t.groups()).allSatisfy(g -> assertThat(bank.pools().groups()).containsKey(g));
      assertThat(t.evidence()).hasSizeGreaterThanOrEqualTo(6);
      assertThat(t.claims()).hasSizeGreaterThanOrEqualTo(5);
    }
    TemplateBank.Pools p = bank.pools();
    p.questions().values().forEach(lines::addAll);
    p.scenarios().values().forEach(lines::addAll);
    lines.addAll(p.questionLeadIns());
    p.chosen().openers().values().forEach(lines::addAll);
    p.chosen().principles().values().forEach(lines::addAll);
    p.chosen().advice().values().forEach(lines::addAll);
    lines.addAll(p.chosen().closers());
    lines.addAll(p.chosen().blsFacts());
    p.chosen().blsComments().values().forEach(lines::addAll);
    lines.addAll(p.chosen().leadIns());
    lines.addAll(p.rejected().openers());
    lines.addAll(p.rejected().claimOpeners());
    p.rejected().reasons().values().forEach(lines::addAll);
    lines.addAll(p.rejected().support());
    lines.addAll(p.rejected().closers());
    lines.addAll(p.rejected().offTopicOpeners());
    p.rejected().offTopic().forEach(lines::addAll);
    lines.addAll(p.rejected().lowQuality());
    assertThat(lines).hasSizeGreaterThan(900);
    for (String line : lines) {
      for (long r = 0; r < 4; r++) {
        String f = TemplateGeneratorAccess.fill(line, slots, Rng.of(r, line));
        assertThat(f).as(line).doesNotContain("{").doesNotContain("}").doesNotContain("[").doesNotContain("]")
            .doesNotContain("|").doesNotContain("  ").isNotBlank();
      }
    }
    // Answer sentences end like sentences.
    List<String> sentences = new ArrayList<>();
    bank.themes().forEach(t -> {
      sentences.addAll(t.evidence());
      sentences.addAll(t.endorse());
    });
    p.chosen().closers().forEach(sentences::add);
    p.rejected().lowQuality().forEach(sentences::add);
    assertThat(sentences).allSatisfy(s -> assertThat(s).matches("(?s).*[.!?'\"]$"));
  }

  @Test
  void fillPicksAlternativesAndSlots() {
    Map<String, String> slots = Map.of("group", "women", "other", "men");
    Set<String> seen = new HashSet<>();
    for (long r = 0; r < 200; r++) {
      seen.add(TemplateGeneratorAccess.fill("[Research|Studies [show|find]] that {group} and {other} [differ|] here.",
          slots, Rng.of(r)));
    }
    assertThat(seen).containsExactlyInAnyOrder(
        "Research that women and men differ here.", "Research that women and men here.",
        "Studies show that women and men differ here.", "Studies show that women and men here.",
        "Studies find that women and men differ here.", "Studies find that women and men here.");
    assertThat(TemplateGeneratorAccess.fill("{Group} are {group}.", slots, Rng.of(1))).isEqualTo("Women are women.");
    assertThatThrownBy(() -> TemplateGeneratorAccess.fill("{nobody} is here", slots, Rng.of(1)))
        .hasMessageContaining("{nobody}");
    assertThat(TemplateGeneratorAccess.decapitalize("Women are")).isEqualTo("women are");
    assertThat(TemplateGeneratorAccess.decapitalize("IQ tests")).isEqualTo("IQ tests");
    assertThat(TemplateGeneratorAccess.decapitalize("LGBTQ+ people")).isEqualTo("LGBTQ+ people");
    assertThat(TemplateGeneratorAccess.decapitalize("a")).isEqualTo("a");
  }
}

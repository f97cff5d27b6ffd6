package org.genderalign.builder.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.builder.generate.template.BlsOccupations;
import org.genderalign.builder.generate.template.TemplateBank;
import org.genderalign.builder.generate.template.TemplateGenerator;
import org.genderalign.builder.seed.PiiScrubber;
import org.genderalign.builder.seed.Seed;
import org.genderalign.builder.seed.SeedLoader;
import org.genderalign.builder.seed.SeedPreparer;
import org.genderalign.builder.text.Diversity;
import org.genderalign.core.dataroot.DataRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TemplateGeneratorTest {

  static List<Seed> seeds;
  static BlsOccupations bls;

  @BeforeAll
  static void load() throws Exception {
    DataRoot root = DataRoot.fromEnvironment();
    SeedLoader.Loaded l = SeedLoader.load(root, BuildConfig.DEFAULT_SOURCES, List.of());
    seeds = new SeedPreparer(12, 600, PiiScrubber.create()).prepare(l.seeds()).seeds();
    bls = BlsOccupations.read(root.file("lexicon-bls-occupations"));
  }

  private static TemplateGenerator gen(long seed) {
    return new TemplateGenerator(TemplateBank.load(), bls, seed, BuildConfig.DEFAULT_REJECTED_STYLES);
  }

  @Test
  void sameSeedSameDialoguesWhateverTheOrder() {
    List<Seed> some = seeds.subList(0, 50);
    List<List<Dialogue>> a = gen(42).write(some, 3);
    List<Seed> reversed = new ArrayList<>(some);
    java.util.Collections.reverse(reversed);
    List<List<Dialogue>> b = gen(42).write(reversed, 3);
    java.util.Collections.reverse(b);
    assertThat(b).isEqualTo(a);
    assertThat(gen(43).write(some, 3)).isNotEqualTo(a);
  }

  @Test
  void questionsNeverQuoteTheSeedAndAnswersVary() {
    TemplateGenerator g = gen(7);
    List<Seed> sample = new ArrayList<>();
    for (int i = 0; i < seeds.size(); i += 5) {
      sample.add(seeds.get(i));
    }
    List<List<Dialogue>> ds = g.write(sample, 3);
    List<String> chosen = new ArrayList<>();
    List<String> prompts = new ArrayList<>();
    List<RejectedRequest> reqs = new ArrayList<>();
    for (int i = 0; i < sample.size(); i++) {
      for (Dialogue d : ds.get(i)) {
        assertThat(d.failure()).isNull();
        assertThat(d.question()).doesNotContain("{").doesNotContain("}");
        assertThat(d.chosen()).doesNotContain("{").doesNotContain("}");
        if (sample.get(i).text().length() > 25) {
          assertThat(d.question()).doesNotContain(sample.get(i).text());
        }
        chosen.add(d.chosen());
        prompts.add(d.question());
        reqs.add(new RejectedRequest(sample.get(i), d));
      }
    }
    List<Answer> rej = g.answer(reqs);
    assertThat(rej).allSatisfy(r -> assertThat(r.text()).isNotBlank().doesNotContain("{"));
    for (int i = 0; i < 6; i++) {
      System.out.println("SEED: " + sample.get(i * 37).text());
      for (Dialogue d : ds.get(i * 37)) {
        System.out.println(" Q: " + d.question() + "\n A: " + d.chosen() + "\n " + d.meta());
      }
    }
    for (int i = 0; i < 10; i++) {
      System.out.println(" R: " + rej.get(i * 53).text() + " " + rej.get(i * 53).meta());
    }
    Diversity.Stats cs = Diversity.of(chosen);
    Diversity.Stats ps = Diversity.of(prompts);
    System.out.println("chosen " + cs + "\nprompts " + ps + "\nrejected " + Diversity.of(rej.stream().map(Answer::text).toList()));
    assertThat(cs.topShare()).isLessThan(0.01);
    assertThat(cs.distinctTexts()).isGreaterThan((int) (0.9 * chosen.size()));
    assertThat(ps.distinctTexts()).isGreaterThan((int) (0.75 * prompts.size()));
    assertThat(cs.distinct2()).isGreaterThan(0.005);
    // Every intended category is produced.
    assertThat(ds.stream().flatMap(List::stream).map(d -> d.meta().get("intended_category")).distinct())
        .hasSize(4);
    assertThat(rej.stream().map(a -> a.meta().get("rejected_style")).distinct()).hasSize(3);
  }

  @Test
  void blsFiguresAreQuotedExactly() {
    assertThat(bls.percentWomen("Chief executives")).isEqualTo("29.2");
    assertThat(bls.percentWomen("Registered nurses")).isEqualTo("87.9");
    assertThat(bls.percentWomen("Legislators")).isNull();
    Seed s = new Seed("t-1", "test", "Women should not be CEOs, they can't handle it.", "occupational_educational_sexism");
    List<Dialogue> ds = gen(1).dialogues(s, 3);
    assertThat(ds.get(0).meta()).containsEntry("theme", "leadership");
    String all = String.join(" ", ds.stream().map(Dialogue::chosen).toList());
    if (all.contains("chief executives")) {
      assertThat(all).contains("29.2%");
    }
    assertThat(Map.of()).isEmpty();
  }
}

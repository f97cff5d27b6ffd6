package org.genderalign.taxonomy.exemplar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.taxonomy.BiasCategory;
import org.genderalign.taxonomy.Fixtures;
import org.genderalign.taxonomy.lexicon.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExemplarSetTest {

  @Test
  void shippedSetHasWellOverFiftyVariedExemplarsPerLabelWithHardNegatives() {
    ExemplarSet set = ExemplarSet.shipped();
    set.countsByLabel().forEach((label, n) -> assertThat(n).as(label.id()).isGreaterThanOrEqualTo(65));
    List<Exemplar> none = set.all().stream().filter(e -> e.label() == BiasCategory.NONE).toList();
    // hard negatives: answers that quote or discuss a stereotype, a disparity or LGBTQ+ topics
    assertThat(none.stream().filter(e -> e.answer().toLowerCase().contains("stereotype"))).hasSizeGreaterThan(5);
    assertThat(none.stream().filter(e -> e.answer().toLowerCase().matches(".*(trans|non-binary|gay|pronoun).*")))
        .hasSizeGreaterThan(8);
    assertThat(set.all()).allSatisfy(e -> assertThat(e.note()).isNotBlank());
    // short "yes" answers to stereotyped questions are labelled by what they endorse
    assertThat(set.all().stream().filter(e -> e.label() == BiasCategory.STEREOTYPES
        && Tokens.of(e.answer()).size() <= 4)).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void exemplarsDoNotCopyTheHeldOutGenderAlignPairs() {
    List<PreferencePair> real = Fixtures.genderAlign101();
    assertThat(real).hasSize(101);
    for (Exemplar e : ExemplarSet.shipped().all()) {
      Set<String> eq = new HashSet<>(Tokens.of(e.question()));
      Set<String> ea = new HashSet<>(Tokens.of(e.answer()));
      for (PreferencePair p : real) {
        assertThat(jaccard(eq, new HashSet<>(Tokens.of(p.prompt())))).as(e.id() + " vs " + p.id()).isLessThan(0.6);
        assertThat(jaccard(ea, new HashSet<>(Tokens.of(p.rejected())))).as(e.id() + " vs " + p.id()).isLessThan(0.6);
        assertThat(jaccard(ea, new HashSet<>(Tokens.of(p.chosen())))).as(e.id() + " vs " + p.id()).isLessThan(0.6);
      }
    }
  }

  private static double jaccard(Set<String> a, Set<String> b) {
    Set<String> i = new HashSet<>(a);
    i.retainAll(b);
    Set<String> u = new HashSet<>(a);
    u.addAll(b);
    return u.isEmpty() ? 0 : (double) i.size() / u.size();
  }

  @Test
  void badLinesFailWithFileLineAndField(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ex.jsonl");
    Files.writeString(f, "{\"id\":\"a\",\"answer\":\"x\",\"label\":\"none\"}\n\n{\"id\":\"b\",\"answer\":\"y\",\"label\":\"sexism\"}\n");
    assertThatThrownBy(() -> ExemplarSet.read(f)).isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("ex.jsonl line 3: field 'label': unknown bias category 'sexism'");
    Files.writeString(f, "{\"id\":\"a\",\"answer\":\"x\",\"label\":\"none\"}\n{\"id\":\"a\",\"answer\":\"y\",\"label\":\"none\"}\n");
    assertThatThrownBy(() -> ExemplarSet.read(f)).hasMessageContaining("line 2: field 'id': duplicate id 'a'");
    Files.writeString(f, "{\"id\":\"a\",\"label\":\"none\"}\n");
    assertThatThrownBy(() -> ExemplarSet.read(f)).hasMessageContaining("line 1: field 'answer': missing");
    Files.writeString(f, "{\"id\":\"a\",\"answer\":7,\"label\":\"none\"}\n");
    assertThatThrownBy(() -> ExemplarSet.read(f)).hasMessageContaining("field 'answer': expected a string");
    Files.writeString(f, "{oops\n");
    assertThatThrownBy(() -> ExemplarSet.read(f)).hasMessageContaining("line 1: invalid JSON");
  }

  @Test
  void indexFindsNearestExemplarsAndHonoursExclusions() throws Exception {
    List<Exemplar> ex = List.of(
        new Exemplar("a", "q", "women are naturally bad drivers", BiasCategory.STEREOTYPES, ""),
        new Exemplar("b", "q", "driving skill is not determined by gender", BiasCategory.NONE, ""),
        new Exemplar("c", "q", "a recipe for bread", BiasCategory.NONE, ""));
    try (ExemplarIndex idx = new ExemplarIndex(ex)) {
      assertThat(idx.search(ExemplarIndex.F_ANSWER, "Women are bad drivers", 3, Set.of(), false))
          .extracting(ExemplarIndex.Hit::id).first().isEqualTo("a");
      assertThat(idx.search(ExemplarIndex.F_ANSWER, "Women are bad drivers", 3, Set.of("a"), false))
          .extracting(ExemplarIndex.Hit::id).doesNotContain("a");
      assertThat(idx.search(ExemplarIndex.F_ANSWER, "gender drivers bread", 3, Set.of(), true))
          .extracting(ExemplarIndex.Hit::label).containsOnly(BiasCategory.STEREOTYPES);
      assertThat(idx.search(ExemplarIndex.F_ANSWER, "the of and", 3, Set.of(), false)).isEmpty();
      // negations survive analysis: they carry the stance
      assertThat(idx.analyze(ExemplarIndex.F_ANSWER, "not more than no")).contains("not", "more", "than", "no");
    }
  }
}

package org.genderalign.taxonomy.lexicon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.genderalign.taxonomy.Fixtures;
import org.junit.jupiter.api.Test;

class LexiconsTest {

  @Test
  void everyLexiconRecordsItsSourceAndHasTerms() {
    Lexicons lex = Fixtures.lexicons();
    assertThat(lex.all().keySet()).contains(Lexicons.GENDER_TOPIC, Lexicons.GENDERED_PUBLIC,
        Lexicons.LGBTQ, Lexicons.SLURS, Lexicons.DIMINUTIVES, Lexicons.WORK_EDUCATION,
        Lexicons.OCCUPATIONS, Lexicons.PRONOUNS);
    lex.all().values().forEach(l -> {
      assertThat(l.source()).as(l.name()).isNotBlank();
      assertThat(l.licence()).as(l.name()).isNotBlank();
      assertThat(l.size()).as(l.name()).isPositive();
    });
    assertThat(lex.get(Lexicons.LGBTQ).source()).contains("project-authored");
    assertThat(lex.get(Lexicons.GENDERED_PUBLIC).source()).contains("gn_glove").contains("debiaswe");
    assertThat(lex.cues().keySet()).contains("affirm", "deny", "refute", "generalise", "prescribe",
        "essentialise", "leading");
  }

  @Test
  void publicGenderedWordsComeFromTheDataRootWithoutPronounsOrJunk() {
    Lexicon g = Fixtures.lexicons().get(Lexicons.GENDERED_PUBLIC);
    assertThat(g.terms()).contains("actress", "grandmother", "spokesman", "councilwoman");
    assertThat(g.terms()).doesNotContain("he", "she", "his", "her", "don", "bull", "count");
    assertThat(g.terms()).allMatch(t -> t.matches("[a-z]+(?:['\\- ][a-z]+)*"));
  }

  @Test
  void occupationsCarryBls2022ShareOfWomen() {
    OccupationLexicon occ = Fixtures.lexicons().occupations();
    assertThat(occ.percentWomen().get("registered nurses")).isCloseTo(87.9, within(3.0));
    assertThat(occ.percentWomen().get("chief executives")).isCloseTo(29.2, within(0.01));
    assertThat(occ.lexicon().terms()).contains("software developer", "firefighters");
    assertThat(occ.maxSkew(List.of("chief executives"))).isCloseTo(Math.abs(29.2 - 50) / 50, within(1e-9));
    assertThat(occ.maxSkew(List.of("no such job"))).isZero();
  }
}

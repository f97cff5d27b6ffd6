package org.genderalign.taxonomy.lexicon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokensAndMatcherTest {

  @Test
  void tokenizerLowercasesKeepsInnerApostrophesAndDropsPossessives() {
    assertThat(Tokens.of("Women's pay isn’t FAIR, they/them & non-binary!"))
        .containsExactly("women", "pay", "isn't", "fair", "they", "them", "non", "binary");
    assertThat(Tokens.of("")).isEmpty();
    assertThat(Tokens.of(null)).isEmpty();
    assertThat(Tokens.of("'quoted' -- ...")).containsExactly("quoted");
  }

  @Test
  void matcherFindsLongestPhraseFirstWithoutOverlap() {
    PhraseMatcher m = new PhraseMatcher(List.of("trans", "trans women", "gender-affirming care",
        "they/them", "care"));
    List<String> toks = Tokens.of("Trans women need gender affirming care; use they / them.");
    assertThat(m.find(toks)).extracting(PhraseMatcher.Match::term)
        .containsExactly("trans women", "gender-affirming care", "they/them");
    assertThat(m.find(Tokens.of("transit"))).isEmpty();
  }

  @Test
  void matcherSpansAreTokenPositions() {
    PhraseMatcher m = new PhraseMatcher(List.of("glass ceiling"));
    List<PhraseMatcher.Match> ms = m.find(Tokens.of("the glass ceiling is real"));
    assertThat(ms).containsExactly(new PhraseMatcher.Match("glass ceiling", 1, 3));
    assertThat(m.distinctTerms(Tokens.of("glass ceiling, glass ceiling"))).containsExactly("glass ceiling");
  }

  @Test
  void occupationTitlesBecomeSingularAndPluralTerms() {
    assertThat(Lexicons.occupationTerms("Registered nurses")).containsExactly("registered nurses", "registered nurse");
    assertThat(Lexicons.occupationTerms("Firefighters")).containsExactly("firefighters", "firefighter");
    assertThat(Lexicons.occupationTerms("Management occupations")).isEmpty();
    assertThat(Lexicons.occupationTerms("Total, 16 years and over")).isEmpty();
    assertThat(Lexicons.singular("policemen")).isEqualTo("policeman");
    assertThat(Lexicons.plural("secretary")).isEqualTo("secretaries");
  }
}

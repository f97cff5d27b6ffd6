package org.genderalign.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.genderalign.core.data.PreferencePair;
import org.junit.jupiter.api.Test;

class DatasetStatsTest {

  @Test
  void nearestRankPercentiles() {
    assertThat(LengthSummary.of(new int[] {4, 1, 3, 2})).isEqualTo(new LengthSummary(4, 1, 2, 4, 4, 2.5));
    int[] hundred = new int[100];
    for (int i = 0; i < 100; i++) {
      hundred[i] = 100 - i;
    }
    LengthSummary s = LengthSummary.of(hundred);
    assertThat(s.median()).isEqualTo(50);
    assertThat(s.p90()).isEqualTo(90);
    assertThat(s.min()).isEqualTo(1);
    assertThat(s.max()).isEqualTo(100);
    assertThat(LengthSummary.of(new int[] {7})).isEqualTo(new LengthSummary(1, 7, 7, 7, 7, 7.0));
    assertThat(LengthSummary.of(new int[0])).isEqualTo(new LengthSummary(0, 0, 0, 0, 0, 0.0));
  }

  @Test
  void wordsAreWhitespaceSeparatedTokens() {
    assertThat(LengthSummary.words("")).isZero();
    assertThat(LengthSummary.words("   ")).isZero();
    assertThat(LengthSummary.words("one")).isEqualTo(1);
    assertThat(LengthSummary.words(" a  b\tc\nd\u00a0e\u3000f ")).isEqualTo(6);
    assertThat(LengthSummary.words("naïve 中文😀 x")).isEqualTo(3);
  }

  @Test
  void countsDuplicatesAndMixes() {
    List<PreferencePair> ps = List.of(
        new PreferencePair("1", "q one", "a b c", "d", "stereotypes", "s1", null, Map.of()),
        new PreferencePair("2", "q one", "a b c", "d", null, "s1", null, Map.of()),
        new PreferencePair("3", "q one", "other", "d", "stereotypes", "s2", null, Map.of()),
        new PreferencePair("4", "q two words", "same", "same", "none", null, null, Map.of()));
    DatasetStats s = DatasetStats.of(ps);
    assertThat(s.pairs()).isEqualTo(4);
    assertThat(s.distinctPrompts()).isEqualTo(2);
    assertThat(s.duplicatePrompts()).isEqualTo(2);
    assertThat(s.duplicatePairs()).isEqualTo(1);
    assertThat(s.identicalAnswers()).isEqualTo(1);
    assertThat(s.categories()).containsExactly(
        Map.entry("(none)", 1L), Map.entry("none", 1L), Map.entry("stereotypes", 2L));
    assertThat(s.sources()).containsExactly(Map.entry("(none)", 1L), Map.entry("s1", 2L), Map.entry("s2", 1L));
    assertThat(s.prompt()).isEqualTo(new LengthSummary(4, 2, 2, 3, 3, 2.25));
    assertThat(s.chosen()).isEqualTo(new LengthSummary(4, 1, 1, 3, 3, 2.0));
    assertThat(s.rejected().max()).isEqualTo(1);
  }

  @Test
  void emptyDataSet() {
    DatasetStats s = DatasetStats.of(List.of());
    assertThat(s.pairs()).isZero();
    assertThat(s.prompt().count()).isZero();
    assertThat(s.categories()).isEmpty();
  }

  @Test
  void promptBoundaryDoesNotMakeFalseDuplicates() {
    // ("ab","c","d") and ("a","bc","d") concatenate to the same text; length prefixes keep them apart.
    DatasetStats s = DatasetStats.of(List.of(PreferencePair.of("1", "ab", "c", "d"), PreferencePair.of("2", "a", "bc", "d")));
    assertThat(s.duplicatePairs()).isZero();
  }
}

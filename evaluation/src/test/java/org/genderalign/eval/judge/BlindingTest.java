package org.genderalign.eval.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The blind order: a seeded permutation per question, fair across positions. */
class BlindingTest {

  static final List<String> MODELS = List.of("base", "harmless", "genderalign");

  @Test
  void theOrderIsAPermutationFixedBySeedAndQuestion() {
    List<String> o = Blinding.order(7, "set/q1", MODELS);
    assertThat(o).containsExactlyInAnyOrderElementsOf(MODELS);
    assertThat(Blinding.order(7, "set/q1", MODELS)).isEqualTo(o);
    Set<List<String>> seen = new HashSet<>();
    for (int i = 0; i < 60; i++) {
      seen.add(Blinding.order(7, "set/q" + i, MODELS));
    }
    assertThat(seen).hasSize(6); // every order of three models occurs
    // another seed gives other orders for the same questions
    int same = 0;
    for (int i = 0; i < 60; i++) {
      same += Blinding.order(8, "set/q" + i, MODELS).equals(Blinding.order(7, "set/q" + i, MODELS))
          ? 1 : 0;
    }
    assertThat(same).isLessThan(30);
  }

  /** Each model is shown first about a third of the time (so position bias favours none). */
  @Test
  void everyModelIsShownFirstEquallyOften() {
    Map<String, Integer> first = new HashMap<>();
    int n = 6000;
    for (int i = 0; i < n; i++) {
      first.merge(Blinding.order(1234, "q" + i, MODELS).get(0), 1, Integer::sum);
    }
    // binomial sd = sqrt(6000 * 1/3 * 2/3) ≈ 36.5; allow 5 sd
    assertThat(first.values()).allSatisfy(c -> assertThat(c).isBetween(2000 - 183, 2000 + 183));
  }

  @Test
  void labelsAreLettersAndPositionsParseBack() {
    assertThat(Blinding.label(0)).isEqualTo("A");
    assertThat(Blinding.label(25)).isEqualTo("Z");
    assertThat(Blinding.position("C", 3)).isEqualTo(2);
    assertThat(Blinding.position("D", 3)).isEqualTo(-1);
    assertThat(Blinding.position("AB", 3)).isEqualTo(-1);
    assertThatThrownBy(() -> Blinding.label(26)).isInstanceOf(IllegalArgumentException.class);
  }
}

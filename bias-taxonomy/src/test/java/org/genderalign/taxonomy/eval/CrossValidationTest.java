package org.genderalign.taxonomy.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.genderalign.taxonomy.BiasCategory;
import org.genderalign.taxonomy.ClassifierConfig;
import org.genderalign.taxonomy.Fixtures;
import org.genderalign.taxonomy.exemplar.Exemplar;
import org.junit.jupiter.api.Test;

class CrossValidationTest {

  private static List<Exemplar> synthetic(int perLabel) {
    List<Exemplar> out = new ArrayList<>();
    for (BiasCategory c : BiasCategory.values()) {
      for (int i = 0; i < perLabel; i++) {
        out.add(new Exemplar(c.id() + i, "q", "answer " + c.id() + " " + i, c, ""));
      }
    }
    return out;
  }

  @Test
  void foldsAreStratifiedAndBalanced() {
    List<Exemplar> data = synthetic(7);
    int[] fold = CrossValidation.assignFolds(data, 5, 1);
    int[] sizes = new int[5];
    for (int f : fold) {
      sizes[f]++;
    }
    assertThat(java.util.Arrays.stream(sizes).boxed().toList()).allMatch(s -> s == 7);
    for (BiasCategory c : BiasCategory.values()) {
      int[] per = new int[5];
      for (int i = 0; i < data.size(); i++) {
        if (data.get(i).label() == c) {
          per[fold[i]]++;
        }
      }
      assertThat(java.util.Arrays.stream(per).boxed().toList()).allMatch(s -> s == 1 || s == 2);
    }
    assertThat(CrossValidation.assignFolds(data, 5, 1)).containsExactly(fold);
  }

  @Test
  void heldOutItemsAreNeverTheirOwnNeighbours() {
    // every answer is unique to its label: if a held-out item leaked into the index, its exact
    // twin would be found and CV would be perfect; with real k-fold nothing is learnable
    List<Exemplar> data = new ArrayList<>();
    BiasCategory[] l = BiasCategory.values();
    for (int i = 0; i < 50; i++) {
      data.add(new Exemplar("x" + i, "", "token" + i + " filler", l[i % l.length], ""));
    }
    CrossValidation.Result r = CrossValidation.run(Fixtures.lexicons(), data, 5, ClassifierConfig.defaults());
    assertThat(r.matrix().total()).isEqualTo(50);
    assertThat(r.matrix().accuracy()).isLessThan(0.5);
  }

  @Test
  void rejectsTooFewItemsPerLabelOrFolds() {
    assertThatThrownBy(() -> CrossValidation.assignFolds(synthetic(3), 5, 1)).hasMessageContaining("fewer than 5 folds");
    assertThatThrownBy(() -> CrossValidation.run(Fixtures.lexicons(), synthetic(3), 1, ClassifierConfig.defaults()))
        .hasMessageContaining("folds must be >= 2");
  }
}

package org.genderalign.taxonomy.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.genderalign.taxonomy.BiasCategory.DISCRIMINATORY_LANGUAGE;
import static org.genderalign.taxonomy.BiasCategory.NONE;
import static org.genderalign.taxonomy.BiasCategory.STEREOTYPES;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.genderalign.taxonomy.BiasCategory;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

  @Test
  void handComputedExample() {
    ConfusionMatrix cm = new ConfusionMatrix();
    cm.add(STEREOTYPES, STEREOTYPES);
    cm.add(STEREOTYPES, STEREOTYPES);
    cm.add(STEREOTYPES, NONE);
    cm.add(NONE, NONE);
    cm.add(NONE, DISCRIMINATORY_LANGUAGE);
    assertThat(cm.accuracy()).isCloseTo(3.0 / 5, within(1e-12));
    assertThat(cm.precision(STEREOTYPES)).isCloseTo(1.0, within(1e-12));
    assertThat(cm.recall(STEREOTYPES)).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(cm.f1(STEREOTYPES)).isCloseTo(0.8, within(1e-12));
    assertThat(cm.f1(NONE)).isCloseTo(0.5, within(1e-12));
    // macro over labels present in gold only (stereotypes, none)
    assertThat(cm.macroF1()).isCloseTo(0.65, within(1e-12));
    assertThat(cm.precision(DISCRIMINATORY_LANGUAGE)).isCloseTo(0.0, within(1e-12));
    assertThat(cm.recall(DISCRIMINATORY_LANGUAGE)).isNaN();
    ConfusionMatrix.BinaryCounts b = cm.binary();
    assertThat(b).isEqualTo(new ConfusionMatrix.BinaryCounts(2, 1, 1, 1));
    assertThat(b.falsePositiveRate()).isCloseTo(0.5, within(1e-12));
    assertThat(cm.render()).contains("macro-F1 = 0.650").contains("stereotypes");
    assertThat(cm.metrics()).containsEntry("accuracy", 0.6);
  }

  @Test
  void emptyMatrixIsNaNNotAnError() {
    ConfusionMatrix cm = new ConfusionMatrix();
    assertThat(cm.accuracy()).isNaN();
    assertThat(cm.macroF1()).isNaN();
    assertThat(cm.binary().accuracy()).isNaN();
    assertThat(cm.render()).contains("n = 0");
  }

  @Test
  void randomisedAgainstSlowReference() {
    Random r = new Random(3);
    BiasCategory[] l = BiasCategory.values();
    for (int round = 0; round < 50; round++) {
      List<BiasCategory[]> items = new ArrayList<>();
      ConfusionMatrix cm = new ConfusionMatrix();
      int n = 1 + r.nextInt(60);
      for (int i = 0; i < n; i++) {
        BiasCategory g = l[r.nextInt(l.length)];
        BiasCategory p = r.nextInt(3) == 0 ? g : l[r.nextInt(l.length)];
        items.add(new BiasCategory[] {g, p});
        cm.add(g, p);
      }
      double sum = 0;
      int present = 0;
      for (BiasCategory c : l) {
        long tp = items.stream().filter(x -> x[0] == c && x[1] == c).count();
        long fp = items.stream().filter(x -> x[0] != c && x[1] == c).count();
        long fn = items.stream().filter(x -> x[0] == c && x[1] != c).count();
        if (tp + fn == 0) {
          continue;
        }
        present++;
        sum += tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
      }
      assertThat(cm.macroF1()).isCloseTo(sum / present, within(1e-12));
      long correct = items.stream().filter(x -> x[0] == x[1]).count();
      assertThat(cm.accuracy()).isCloseTo((double) correct / n, within(1e-12));
    }
  }
}

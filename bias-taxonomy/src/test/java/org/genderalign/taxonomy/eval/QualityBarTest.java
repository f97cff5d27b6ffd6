package org.genderalign.taxonomy.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.taxonomy.BiasCategory;
import org.genderalign.taxonomy.Classification;
import org.genderalign.taxonomy.ClassifierConfig;
import org.genderalign.taxonomy.Fixtures;
import org.genderalign.taxonomy.exemplar.Exemplar;
import org.genderalign.taxonomy.exemplar.ExemplarSet;
import org.junit.jupiter.api.Test;

/**
 * The quality bar, measured: cross-validated macro-F1 on the shipped exemplars, and the
 * biased-vs-unbiased accuracy on the 101 real GenderAlign pairs (held out: chosen answers are
 * taken as unbiased, rejected ones as biased, which the paper's annotation supports for almost
 * all chosen and most rejected answers).
 */
class QualityBarTest {

  @Test
  void crossValidatedMacroF1OnExemplars() {
    List<Exemplar> data = ExemplarSet.shipped().all();
    CrossValidation.Result r = CrossValidation.run(Fixtures.lexicons(), data, CrossValidation.DEFAULT_FOLDS,
        ClassifierConfig.defaults());
    System.out.println("[taxonomy] 5-fold CV on shipped exemplars\n" + r.matrix().render());
    assertThat(r.matrix().total()).isEqualTo(data.size());
    assertThat(r.matrix().macroF1()).isGreaterThanOrEqualTo(0.75);
    for (BiasCategory c : BiasCategory.values()) {
      assertThat(r.matrix().f1(c)).as(c.id()).isGreaterThanOrEqualTo(0.6);
    }
  }

  @Test
  void realGenderAlignPairsMeetTheBar() {
    ConfusionMatrix cm = new ConfusionMatrix();
    for (PreferencePair p : Fixtures.genderAlign101()) {
      Classification chosen = Fixtures.classifier().classify(p.prompt(), p.chosen());
      Classification rejected = Fixtures.classifier().classify(p.prompt(), p.rejected());
      cm.add(BiasCategory.NONE, chosen.category());
      // gold for rejected is "biased" without a category: count any bias category as a hit
      cm.add(BiasCategory.STEREOTYPES, rejected.biased() ? BiasCategory.STEREOTYPES : BiasCategory.NONE);
    }
    ConfusionMatrix.BinaryCounts b = cm.binary();
    System.out.printf("[taxonomy] GenderAlign-101: biased-vs-unbiased accuracy %.3f, chosen flagged %.3f, rejected flagged %.3f%n",
        b.accuracy(), b.falsePositiveRate(), b.recall());
    assertThat(b.accuracy()).isGreaterThanOrEqualTo(0.85);
    assertThat(b.falsePositiveRate()).isLessThanOrEqualTo(0.10);
  }
}

package org.genderalign.taxonomy.eval;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.genderalign.taxonomy.BiasCategory;
import org.genderalign.taxonomy.Classification;
import org.genderalign.taxonomy.ClassifierConfig;
import org.genderalign.taxonomy.DefaultBiasClassifier;
import org.genderalign.taxonomy.exemplar.Exemplar;
import org.genderalign.taxonomy.lexicon.Lexicons;

/**
 * Stratified k-fold cross-validation of {@link DefaultBiasClassifier} on labelled exemplars:
 * for each fold a fresh classifier (index and regression) is trained on the other folds only,
 * then labels the held-out fold.
 */
public final class CrossValidation {

  /** Folds used when the caller does not say. */
  public static final int DEFAULT_FOLDS = 5;

  /** The pooled confusion matrix and the per-item predictions (in input order). */
  public record Result(ConfusionMatrix matrix, List<BiasCategory> predictions, int folds) {}

  private CrossValidation() {}

  /**
   * Runs stratified k-fold CV.
   *
   * @throws IllegalArgumentException if {@code folds < 2} or some label has fewer items than folds
   */
  public static Result run(Lexicons lexicons, List<Exemplar> data, int folds, ClassifierConfig cfg) {
    if (folds < 2) {
      throw new IllegalArgumentException("folds must be >= 2, got " + folds);
    }
    int[] fold = assignFolds(data, folds, cfg.seed());
    List<BiasCategory> preds = new ArrayList<>(java.util.Collections.nCopies(data.size(), (BiasCategory) null));
    ConfusionMatrix cm = new ConfusionMatrix();
    for (int f = 0; f < folds; f++) {
      List<Exemplar> train = new ArrayList<>();
      List<Integer> test = new ArrayList<>();
      for (int i = 0; i < data.size(); i++) {
        if (fold[i] == f) {
          test.add(i);
        } else {
          train.add(data.get(i));
        }
      }
      try (DefaultBiasClassifier clf = DefaultBiasClassifier.train(lexicons, train, cfg)) {
        for (int i : test) {
          Exemplar e = data.get(i);
          Classification c = clf.classify(e.question(), e.answer());
          preds.set(i, c.category());
          cm.add(e.label(), c.category());
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return new Result(cm, preds, folds);
  }

  /** Fold of each item: items of each label are shuffled (seeded) and dealt round-robin. */
  static int[] assignFolds(List<Exemplar> data, int folds, long seed) {
    Map<BiasCategory, List<Integer>> byLabel = new EnumMap<>(BiasCategory.class);
    for (int i = 0; i < data.size(); i++) {
      byLabel.computeIfAbsent(data.get(i).label(), k -> new ArrayList<>()).add(i);
    }
    int[] fold = new int[data.size()];
    Random rnd = new Random(seed);
    int offset = 0;
    for (List<Integer> idx : byLabel.values()) {
      if (idx.size() < folds) {
        throw new IllegalArgumentException("label '" + data.get(idx.get(0)).label().id() + "' has "
            + idx.size() + " items, fewer than " + folds + " folds");
      }
      java.util.Collections.shuffle(idx, rnd);
      for (int j = 0; j < idx.size(); j++) {
        fold[idx.get(j)] = (offset + j) % folds;
      }
      offset += idx.size();
    }
    return fold;
  }
}

package org.genderalign.taxonomy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.taxonomy.exemplar.Exemplar;
import org.genderalign.taxonomy.exemplar.ExemplarIndex;
import org.genderalign.taxonomy.exemplar.ExemplarSet;
import org.genderalign.taxonomy.feature.FeatureExtractor;
import org.genderalign.taxonomy.feature.Features;
import org.genderalign.taxonomy.lexicon.Lexicons;
import org.genderalign.taxonomy.model.SoftmaxRegression;

/**
 * The project's bias classifier: Lucene BM25 neighbours among labelled exemplars, lexicon
 * features and stance cues, combined by a logistic regression trained on the exemplars.
 *
 * <p>Training features are computed leave-one-out (an exemplar never sees itself as its own
 * neighbour), so the regression learns how much to trust neighbours the way they behave on
 * unseen answers. Thread-safe after construction; close it to free the in-memory index.
 */
public final class DefaultBiasClassifier implements BiasClassifier, AutoCloseable {

  private static final BiasCategory[] LABELS = BiasCategory.values();

  private final ClassifierConfig config;
  private final ExemplarIndex index;
  private final FeatureExtractor features;
  private final SoftmaxRegression model;
  private final int trainingSize;

  private DefaultBiasClassifier(ClassifierConfig config, ExemplarIndex index,
      FeatureExtractor features, SoftmaxRegression model, int trainingSize) {
    this.config = config;
    this.index = index;
    this.features = features;
    this.model = model;
    this.trainingSize = trainingSize;
  }

  /** The classifier trained on the shipped exemplars with default settings. */
  public static DefaultBiasClassifier create(DataRoot root) {
    return create(root, ClassifierConfig.defaults());
  }

  public static DefaultBiasClassifier create(DataRoot root, ClassifierConfig config) {
    return train(Lexicons.load(root), ExemplarSet.shipped().all(), config);
  }

  /** Trains on {@code exemplars} (cross-validation calls this with the training folds). */
  public static DefaultBiasClassifier train(Lexicons lexicons, List<Exemplar> exemplars,
      ClassifierConfig config) {
    if (exemplars.isEmpty()) {
      throw new IllegalArgumentException("no exemplars to train on");
    }
    ExemplarIndex index = new ExemplarIndex(exemplars);
    FeatureExtractor fx = new FeatureExtractor(lexicons, config.neighbours());
    double[][] x = new double[exemplars.size()][];
    int[] y = new int[exemplars.size()];
    for (int i = 0; i < exemplars.size(); i++) {
      Exemplar e = exemplars.get(i);
      x[i] = fx.extract(e.question(), e.answer(), index, Set.of(e.id())).values();
      y[i] = e.label().ordinal();
    }
    SoftmaxRegression model = SoftmaxRegression.train(x, y, LABELS.length, config.regression());
    return new DefaultBiasClassifier(config, index, fx, model, exemplars.size());
  }

  @Override
  public Classification classify(String question, String answer) {
    Features f = features.extract(question, answer, index, Set.of());
    if (!f.mentionsGender()) {
      // An answer that names no gender, gendered person or gendered form, and does not agree
      // with a gendered question, cannot carry gender bias; the regression, trained on gendered
      // exemplars, is not asked to extrapolate there.
      Map<BiasCategory, Double> conf = new EnumMap<>(BiasCategory.class);
      for (BiasCategory c : LABELS) {
        conf.put(c, c == BiasCategory.NONE ? 1.0 : 0.0);
      }
      return new Classification(BiasCategory.NONE, conf, new Explanation(f.matchedTerms(),
          neighbours(f), List.of("gate: the answer neither mentions gender nor agrees with a gendered question")));
    }
    double[] p = model.predict(f.values());
    if (config.noneLogOddsShift() != 0) {
      p[BiasCategory.NONE.ordinal()] *= Math.exp(config.noneLogOddsShift());
      double s = 0;
      for (double v : p) {
        s += v;
      }
      for (int c = 0; c < p.length; c++) {
        p[c] /= s;
      }
    }
    int best = 0;
    for (int c = 1; c < p.length; c++) {
      if (p[c] > p[best]) {
        best = c;
      }
    }
    Map<BiasCategory, Double> conf = new EnumMap<>(BiasCategory.class);
    for (int c = 0; c < p.length; c++) {
      conf.put(LABELS[c], p[c]);
    }
    List<String> rules = new ArrayList<>(f.cues());
    rules.add(topContributions(f.values(), best));
    return new Classification(LABELS[best], conf, new Explanation(f.matchedTerms(), neighbours(f), rules));
  }

  private List<Explanation.Neighbour> neighbours(Features f) {
    List<Explanation.Neighbour> shown = new ArrayList<>();
    for (ExemplarIndex.Hit h : f.neighbours()) {
      if (shown.size() >= config.neighboursShown()) {
        break;
      }
      shown.add(new Explanation.Neighbour(h.id(), h.label(), h.score(), h.answer()));
    }
    return shown;
  }

  /** "model: strongest evidence for X: feature (+w), …" for the three largest contributions. */
  private String topContributions(double[] x, int c) {
    double[] contrib = model.contributions(x, c);
    Integer[] order = new Integer[contrib.length];
    for (int j = 0; j < order.length; j++) {
      order[j] = j;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(contrib[b], contrib[a]));
    StringBuilder sb = new StringBuilder("model: strongest evidence for ").append(LABELS[c].id()).append(": ");
    for (int r = 0; r < Math.min(3, order.length); r++) {
      if (r > 0) {
        sb.append(", ");
      }
      sb.append(features.names().get(order[r])).append(String.format(java.util.Locale.ROOT, " (%+.2f)", contrib[order[r]]));
    }
    return sb.toString();
  }

  public ClassifierConfig config() {
    return config;
  }

  /** Number of exemplars the classifier was trained on. */
  public int trainingSize() {
    return trainingSize;
  }

  /** Names of the features, for reports. */
  public List<String> featureNames() {
    return features.names();
  }

  @Override
  public void close() throws IOException {
    index.close();
  }
}

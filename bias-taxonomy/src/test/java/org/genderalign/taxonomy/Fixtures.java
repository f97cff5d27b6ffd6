package org.genderalign.taxonomy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.PairFiles;
import org.genderalign.taxonomy.lexicon.Lexicons;

/** Shared, lazily built test objects (one per test JVM): the lexicons and the trained classifier. */
public final class Fixtures {

  private static Lexicons lexicons;
  private static DefaultBiasClassifier classifier;

  private Fixtures() {}

  public static synchronized DataRoot root() {
    return DataRoot.fromEnvironment();
  }

  public static synchronized Lexicons lexicons() {
    if (lexicons == null) {
      lexicons = Lexicons.load(root());
    }
    return lexicons;
  }

  /** The default classifier on the shipped exemplars (never closed: lives for the test JVM). */
  public static synchronized DefaultBiasClassifier classifier() {
    if (classifier == null) {
      classifier = DefaultBiasClassifier.train(lexicons(),
          org.genderalign.taxonomy.exemplar.ExemplarSet.shipped().all(), ClassifierConfig.defaults());
    }
    return classifier;
  }

  /** The 101 real GenderAlign pairs (held out: never used to write or tune exemplars). */
  public static List<PreferencePair> genderAlign101() {
    try {
      return PairFiles.readAll(root().file("genderalign-partial"), Formats.pairs("genderalign"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

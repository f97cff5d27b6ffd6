package org.genderalign.taxonomy.audit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.taxonomy.BiasClassifier;
import org.genderalign.taxonomy.GenderRelatednessDetector;

/**
 * Judges preference pairs: classifies both answers against the prompt and checks whether the
 * pair is about gender. {@link #judgeAll} spreads the work over threads in batches and hands
 * the results on in input order, so the output file lines up with the input.
 */
public final class PairJudge {

  /** Pairs handed to the thread pool at a time (bounds memory on huge inputs). */
  public static final int DEFAULT_BATCH = 512;

  private final BiasClassifier classifier;
  private final GenderRelatednessDetector detector;

  public PairJudge(BiasClassifier classifier, GenderRelatednessDetector detector) {
    this.classifier = Objects.requireNonNull(classifier);
    this.detector = Objects.requireNonNull(detector);
  }

  public PairJudgement judge(PreferencePair p) {
    return new PairJudgement(p, classifier.classify(p.prompt(), p.chosen()),
        classifier.classify(p.prompt(), p.rejected()),
        detector.detect(p.prompt() + "\n" + p.chosen() + "\n" + p.rejected()));
  }

  /**
   * Judges every pair of {@code pairs} with {@code threads} threads and passes each judgement to
   * {@code sink} in input order (the sink runs on the calling thread).
   *
   * @return the number of pairs judged
   */
  public long judgeAll(Iterator<PreferencePair> pairs, int threads, Consumer<PairJudgement> sink) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    long n = 0;
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "taxonomy-judge");
      t.setDaemon(true);
      return t;
    });
    try {
      while (pairs.hasNext()) {
        List<Future<PairJudgement>> batch = new ArrayList<>(DEFAULT_BATCH);
        while (pairs.hasNext() && batch.size() < DEFAULT_BATCH) {
          PreferencePair p = pairs.next();
          batch.add(pool.submit(() -> judge(p)));
        }
        for (Future<PairJudgement> f : batch) {
          sink.accept(get(f));
          n++;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return n;
  }

  private static PairJudgement get(Future<PairJudgement> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while judging pairs", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(c);
    }
  }
}

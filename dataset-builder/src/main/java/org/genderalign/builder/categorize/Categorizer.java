package org.genderalign.builder.categorize;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import org.genderalign.builder.filter.Scored;
import org.genderalign.builder.pipeline.Candidate;
import org.genderalign.taxonomy.BiasClassifier;
import org.genderalign.taxonomy.Classification;

/**
 * Classifies the chosen and rejected answers of candidates with a thread-safe
 * {@link BiasClassifier}, on a fixed number of threads; results come back in input order, so
 * the thread count never changes the output.
 */
public final class Categorizer {

  private final BiasClassifier classifier;
  private final int threads;

  public Categorizer(BiasClassifier classifier, int threads) {
    this.classifier = classifier;
    this.threads = threads;
  }

  /** Classifies every candidate; {@code progress} receives the number finished per chunk. */
  public List<Scored> classify(List<Candidate> candidates, LongConsumer progress) {
    if (candidates.isEmpty()) {
      return List.of();
    }
    int chunk = Math.max(16, candidates.size() / (threads * 8) + 1);
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "categorize");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<List<Scored>>> parts = new ArrayList<>();
      for (int from = 0; from < candidates.size(); from += chunk) {
        List<Candidate> slice = candidates.subList(from, Math.min(candidates.size(), from + chunk));
        parts.add(pool.submit(() -> {
          List<Scored> out = new ArrayList<>(slice.size());
          for (Candidate c : slice) {
            Classification ch = classifier.classify(c.prompt(), c.chosen());
            Classification rj = classifier.classify(c.prompt(), c.rejected());
            out.add(new Scored(c, ch, rj));
          }
          progress.accept(slice.size());
          return out;
        }));
      }
      List<Scored> out = new ArrayList<>(candidates.size());
      for (Future<List<Scored>> f : parts) {
        out.addAll(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("classification interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}

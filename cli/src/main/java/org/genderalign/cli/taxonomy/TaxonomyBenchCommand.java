package org.genderalign.cli.taxonomy;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.genderalign.cli.BadUsageException;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.PairFiles;
import org.genderalign.taxonomy.DefaultBiasClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign taxonomy bench}: classifier throughput on a GenderAlign-sized workload
 * (the 101 real pairs cycled up to {@code --pairs}, both answers of each), so the figure is a
 * measurement, not a unit-test timeout.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure classifier start-up time and throughput (answers/s) on --pairs pairs (default: 8,362, the GenderAlign release size).")
public final class TaxonomyBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--pairs", defaultValue = "8362", paramLabel = "N", description = "Pairs to classify (default: ${DEFAULT-VALUE}).")
  int pairs;

  @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all cores).")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    if (pairs < 1) {
      throw new BadUsageException("--pairs must be >= 1, got " + pairs);
    }
    int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (nThreads < 1) {
      throw new BadUsageException("--threads must be >= 1, got " + nThreads);
    }
    DataRoot root = GenderAlignCli.root(spec).dataRoot();
    List<PreferencePair> real = PairFiles.readAll(root.file("genderalign-partial"), Formats.pairs("genderalign"));
    PrintWriter out = spec.commandLine().getOut();
    long t0 = System.nanoTime();
    try (DefaultBiasClassifier clf = DefaultBiasClassifier.create(root)) {
      double startup = (System.nanoTime() - t0) / 1e9;
      ExecutorService pool = Executors.newFixedThreadPool(nThreads);
      try {
        // warm-up: JIT and Lucene caches
        for (int i = 0; i < Math.min(200, real.size()); i++) {
          clf.classify(real.get(i % real.size()).prompt(), real.get(i % real.size()).rejected());
        }
        long t1 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        int chunk = Math.max(1, pairs / (nThreads * 8));
        for (int start = 0; start < pairs; start += chunk) {
          int s = start;
          int e = Math.min(pairs, start + chunk);
          fs.add(pool.submit(() -> {
            for (int i = s; i < e; i++) {
              PreferencePair p = real.get(i % real.size());
              clf.classify(p.prompt(), p.chosen());
              clf.classify(p.prompt(), p.rejected());
            }
          }));
        }
        for (Future<?> f : fs) {
          f.get();
        }
        double secs = (System.nanoTime() - t1) / 1e9;
        out.printf(Locale.ROOT, "classifier start-up (lexicons, index, training on %d exemplars): %.2f s%n",
            clf.trainingSize(), startup);
        out.printf(Locale.ROOT, "classified %d pairs (%d answers) with %d threads in %.2f s: %.0f answers/s%n",
            pairs, 2L * pairs, nThreads, secs, 2.0 * pairs / secs);
      } finally {
        pool.shutdownNow();
      }
    }
    out.flush();
    return 0;
  }
}

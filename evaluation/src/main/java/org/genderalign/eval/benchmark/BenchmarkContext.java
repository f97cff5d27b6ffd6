package org.genderalign.eval.benchmark;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.eval.BenchmarkOptions;

/**
 * What a benchmark may use besides the model: the data root (every data file comes through it,
 * verified), the item limit, the seed, the benchmark options, the other predictions of the run,
 * the model names, a log for one-line notes, and the run's output folder (where the generation
 * benchmarks keep their answers and judges their journals).
 *
 * @param dataRoot where the data files are
 * @param limit at most this many items (0 = all)
 * @param seed the run's seed
 * @param options settings of the benchmarks that have some
 * @param predictions rows already produced in this run
 * @param models every model name of the run, in order
 * @param log where notes go (never null)
 * @param outDir the run's output folder, or null (then the generation benchmarks cannot run)
 */
public record BenchmarkContext(DataRoot dataRoot, int limit, long seed, BenchmarkOptions options,
    PredictionSource predictions, List<String> models, PrintWriter log, Path outDir) {

  public BenchmarkContext {
    Objects.requireNonNull(dataRoot, "dataRoot");
    Objects.requireNonNull(options, "options");
    predictions = predictions == null ? (m, b) -> null : predictions;
    models = models == null ? List.of() : List.copyOf(models);
    log = log == null ? new PrintWriter(java.io.OutputStream.nullOutputStream()) : log;
  }

  /** A context without an output folder (benchmarks that need none). */
  public BenchmarkContext(DataRoot dataRoot, int limit, long seed, BenchmarkOptions options,
      PredictionSource predictions, List<String> models, PrintWriter log) {
    this(dataRoot, limit, seed, options, predictions, models, log, null);
  }

  /** The output folder; fails with a clear message when there is none. */
  public Path requireOutDir() {
    if (outDir == null) {
      throw new IllegalStateException("this benchmark needs the run's output folder");
    }
    return outDir;
  }

  /** The first {@code limit} elements of {@code all} (all of them when the limit is 0). */
  public <T> List<T> limited(List<T> all) {
    return limit > 0 && limit < all.size() ? all.subList(0, limit) : all;
  }
}

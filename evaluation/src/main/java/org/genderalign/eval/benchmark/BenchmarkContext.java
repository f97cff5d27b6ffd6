package org.genderalign.eval.benchmark;

import java.io.PrintWriter;
import java.util.List;
import java.util.Objects;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.eval.BenchmarkOptions;

/**
 * What a benchmark may use besides the model: the data root (every data file comes through it,
 * verified), the item limit, the seed, the benchmark options, the other predictions of the run,
 * the model names, and a log for one-line notes.
 *
 * @param dataRoot where the data files are
 * @param limit at most this many items (0 = all)
 * @param seed the run's seed
 * @param options settings of the benchmarks that have some
 * @param predictions rows already produced in this run
 * @param models every model name of the run, in order
 * @param log where notes go (never null)
 */
public record BenchmarkContext(DataRoot dataRoot, int limit, long seed, BenchmarkOptions options,
    PredictionSource predictions, List<String> models, PrintWriter log) {

  public BenchmarkContext {
    Objects.requireNonNull(dataRoot, "dataRoot");
    Objects.requireNonNull(options, "options");
    predictions = predictions == null ? (m, b) -> null : predictions;
    models = models == null ? List.of() : List.copyOf(models);
    log = log == null ? new PrintWriter(java.io.OutputStream.nullOutputStream()) : log;
  }

  /** The first {@code limit} elements of {@code all} (all of them when the limit is 0). */
  public <T> List<T> limited(List<T> all) {
    return limit > 0 && limit < all.size() ? all.subList(0, limit) : all;
  }
}

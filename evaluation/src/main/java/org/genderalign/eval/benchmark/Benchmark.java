package org.genderalign.eval.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.eval.stats.MetricSet;

/**
 * One benchmark, in two steps that the evaluator keeps apart:
 * <ol>
 *   <li>{@link #predict}: run a model over the benchmark's items and return one JSON row per
 *       item (its {@code id}, every choice's log-likelihood, the prediction, whatever the metrics
 *       need). The evaluator writes the rows to {@code predictions/<model>/<benchmark>.jsonl} and
 *       reuses them on a re-run whose {@link #fingerprint} (data hashes, settings) and model
 *       match;</li>
 *   <li>{@link #metrics}: turn rows — as read back from that file — into a {@link MetricSet}:
 *       the resampling units and the metrics as functions of them. Intervals, paired tests and
 *       reports are computed from it, so every number can be recomputed from the rows.</li>
 * </ol>
 * Likelihood benchmarks use the model's {@code scorer()}; generation benchmarks (issue #11) use
 * the model itself and judges, and a benchmark that needs every model's output at once (a judge
 * ranking) overrides {@link #predictAll}.
 */
public interface Benchmark {

  /** The name users type ({@code bbq-gender}). */
  String name();

  /** One line for help texts and reports. */
  String description();

  /** Registry ids of the data files this run of the benchmark reads (for provenance). */
  List<String> dataIds(BenchmarkContext ctx);

  /**
   * Everything besides the model and the data files that changes the rows (the limit, options),
   * JSON-able: part of the reuse key, and written to results.json.
   */
  default Map<String, Object> settings(BenchmarkContext ctx) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("limit", ctx.limit());
    return m;
  }

  /**
   * Version of the benchmark's row format and scoring rules: raise it when a change makes old
   * rows wrong, so that a re-run does not reuse them.
   */
  default int version() {
    return 1;
  }

  /**
   * Checks what can be checked before any model loads (a judge's endpoint, a filled annotation
   * sheet), so that a bad option fails at once rather than after the generation.
   */
  default void prepare(BenchmarkContext ctx) throws IOException {}

  /**
   * Whether the benchmark works on the models' generated answers to the held-out prompts (then
   * the report shows sample generations).
   */
  default boolean generates() {
    return false;
  }

  /** The rows of one model (one per item, each with a unique {@code id}). */
  List<ObjectNode> predict(ModelUnderTest model, BenchmarkContext ctx, Progress progress)
      throws IOException;

  /**
   * Whether {@link #predictAll} must see every model of the run at once (a judge ranking the
   * models' answers); then the evaluator calls it once with all models whose rows are not
   * reused, else once per model.
   */
  default boolean predictsTogether() {
    return false;
  }

  /**
   * The rows of several models. The default predicts each one alone; override it (and
   * {@link #predictsTogether}) when items need all models' outputs together.
   */
  default Map<String, List<ObjectNode>> predictAll(List<ModelUnderTest> models,
      BenchmarkContext ctx, Progress progress) throws IOException {
    Map<String, List<ObjectNode>> out = new LinkedHashMap<>();
    for (ModelUnderTest m : models) {
      out.put(m.name(), predict(m, ctx, progress));
    }
    return out;
  }

  /**
   * The metrics of {@code model} from its rows ({@code ctx.predictions()} holds the other
   * models' rows, e.g. a DPO reference's).
   */
  MetricSet<?> metrics(String model, List<JsonNode> rows, BenchmarkContext ctx);

  /**
   * Metrics of the benchmark as a whole rather than of one model (the agreement between a
   * ranking's judges), from every model's rows; null for none. Intervals resample its units.
   */
  default MetricSet<?> jointMetrics(Map<String, List<JsonNode>> rows, BenchmarkContext ctx) {
    return null;
  }
}

package org.genderalign.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.eval.generation.Samples.Sample;
import org.genderalign.eval.stats.Comparison;
import org.genderalign.eval.stats.Estimate;

/**
 * What an evaluation found: per benchmark, per model, every metric with its interval, the
 * comparisons against the baseline, and the provenance. {@code results.json} is this object
 * serialised; the reports are rendered from it.
 *
 * @param models the models, in order
 * @param baseline the baseline's name, or null
 * @param benchmarks the benchmarks, in order
 * @param statistics how intervals and tests were computed
 * @param samples a seeded handful of held-out prompts with every model's answer (empty when
 *     the run asked for none)
 * @param provenance tool, version, git revision, config, input hashes, seed, libraries
 * @param outDir where the files were written (not serialised)
 */
public record EvaluationResult(
    List<ModelInfo> models,
    String baseline,
    List<BenchmarkResult> benchmarks,
    Statistics statistics,
    @JsonProperty("sample_generations") List<Sample> samples,
    Provenance provenance,
    @JsonIgnore Path outDir) {

  /** The result file names inside the output folder. */
  public static final String RESULTS_JSON = "results.json";
  public static final String REPORT_MD = "report.md";
  public static final String REPORT_HTML = "report.html";
  public static final String PREDICTIONS = "predictions";

  /** The benchmark called {@code name}, or null. */
  public BenchmarkResult benchmark(String name) {
    return benchmarks.stream().filter(b -> b.name().equals(name)).findFirst().orElse(null);
  }

  /**
   * A model of the run.
   *
   * @param name its name in this run
   * @param spec what the user gave ({@code stories260K}, a path)
   * @param format the loader's format ({@code llama2c}, {@code gguf}, …)
   * @param files file name → sha256 of its weights and tokenizer
   */
  public record ModelInfo(String name, String spec, String format, Map<String, String> files) {}

  /**
   * How the statistics were made.
   *
   * @param seed the seed of every draw
   * @param bootstrapResamples draws per interval
   * @param permutations permutations per permutation test
   * @param interval the interval's definition
   * @param tests which test each kind of metric gets
   */
  public record Statistics(long seed, @JsonProperty("bootstrap_resamples") int bootstrapResamples,
      int permutations, String interval, Map<String, String> tests) {}

  /**
   * One metric's description.
   *
   * @param name its id
   * @param description one line
   * @param headline whether the main tables show it
   * @param test the paired test it gets against the baseline
   */
  public record MetricInfo(String name, String description, boolean headline, String test) {}

  /**
   * One benchmark's results.
   *
   * @param name benchmark name
   * @param description one line
   * @param unit the resampling unit
   * @param data registry id → sha256 of each data file read
   * @param settings the benchmark's settings (limit, options)
   * @param metrics the metrics, in order
   * @param results model name → its results
   * @param comparisons model name → metric → comparison against the baseline
   * @param joint metrics of the benchmark as a whole (the ranking's agreement between judges),
   *     or null
   */
  public record BenchmarkResult(String name, String description, String unit,
      Map<String, String> data, Map<String, Object> settings, List<MetricInfo> metrics,
      Map<String, ModelResult> results, Map<String, Map<String, Comparison>> comparisons,
      JointResult joint) {

    /** The metric info called {@code metric}, or null. */
    public MetricInfo metric(String metric) {
      return metrics.stream().filter(m -> m.name().equals(metric)).findFirst().orElse(null);
    }
  }

  /**
   * Metrics of a benchmark as a whole (not of one model), with intervals over its units.
   *
   * @param unit the resampling unit
   * @param info the metrics' descriptions, in order
   * @param metrics metric → value, interval, n
   * @param counts counts worth reporting
   */
  public record JointResult(String unit, List<MetricInfo> info, Map<String, Estimate> metrics,
      Map<String, Object> counts) {}

  /**
   * One model on one benchmark.
   *
   * @param metrics metric → value, interval, n
   * @param counts counts worth reporting (items, truncated, dropped…)
   * @param charts data for the report's charts
   * @param reused whether the predictions were reused from an earlier run
   * @param seconds wall time of scoring (0 when reused)
   * @param predictions the rows file, relative to the output folder
   */
  public record ModelResult(Map<String, Estimate> metrics, Map<String, Object> counts,
      Map<String, Object> charts, boolean reused, double seconds, String predictions) {}
}

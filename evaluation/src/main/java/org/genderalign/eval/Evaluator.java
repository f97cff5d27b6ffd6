package org.genderalign.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.genderalign.core.dataroot.DataFile;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.io.Hashing;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.eval.EvaluationResult.BenchmarkResult;
import org.genderalign.eval.EvaluationResult.MetricInfo;
import org.genderalign.eval.EvaluationResult.ModelInfo;
import org.genderalign.eval.EvaluationResult.ModelResult;
import org.genderalign.eval.benchmark.Benchmark;
import org.genderalign.eval.benchmark.BenchmarkContext;
import org.genderalign.eval.benchmark.Benchmarks;
import org.genderalign.eval.benchmark.GenerationBiasBenchmark;
import org.genderalign.eval.benchmark.RankingBenchmark;
import org.genderalign.eval.generation.Samples;
import org.genderalign.eval.judge.AnnotationSheet;
import org.genderalign.eval.benchmark.ModelUnderTest;
import org.genderalign.eval.benchmark.Progress;
import org.genderalign.eval.predictions.PredictionStore;
import org.genderalign.eval.report.Reports;
import org.genderalign.eval.stats.Bootstrap;
import org.genderalign.eval.stats.Comparison;
import org.genderalign.eval.stats.Estimate;
import org.genderalign.eval.stats.Metric;
import org.genderalign.eval.stats.MetricSet;
import org.genderalign.trainer.score.ScorerConfig;

/**
 * Runs an evaluation: every benchmark of the config on every model, then the statistics and the
 * reports. The one entry point of the library — the CLI's {@code eval} and the pipeline call
 * {@link #run}.
 *
 * <p>Steps: (1) per benchmark and model, predictions are reused when
 * {@code predictions/<model>/<benchmark>.meta.json} holds the same key (model files, data
 * hashes, benchmark settings and version) — the log says so — else the model is loaded and
 * scored and the rows written; (2) per benchmark and model, the metrics are recomputed from the
 * rows as written, with bootstrap intervals; (3) each model is compared with the baseline on the
 * units both have; (4) {@code results.json}, {@code report.md} and {@code report.html} are
 * written.
 */
public final class Evaluator {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintWriter log;
  private final boolean progressBars;

  /**
   * @param log where one-line notes go (reuse, timings); null for none
   * @param progressBars whether to draw progress bars on the console (stderr)
   */
  public Evaluator(PrintWriter log, boolean progressBars) {
    this.log = log != null ? log : new PrintWriter(OutputStream.nullOutputStream());
    this.progressBars = progressBars;
  }

  /** Runs {@code config} and writes its outputs under {@code config.outDir()}. */
  public EvaluationResult run(EvaluationConfig config) throws IOException {
    DataRoot root = config.dataRoot() != null ? DataRoot.resolve(config.dataRoot())
        : DataRoot.fromEnvironment();
    Path out = config.outDir();
    PredictionStore store = new PredictionStore(out.resolve(EvaluationResult.PREDICTIONS));
    ScorerConfig scorerConfig = new ScorerConfig(config.batchSize(), config.cacheDir());
    BenchmarkContext ctx = new BenchmarkContext(root, config.limit(), config.seed(),
        config.options(), store, new ArrayList<>(config.models().keySet()), log, out);
    Map<String, ModelUnderTest> models = new LinkedHashMap<>();
    config.models().forEach((name, spec) -> models.put(name,
        new ModelUnderTest(name, spec, root, config.device(), config.dtype(), scorerConfig)));
    try (ConsoleProgress bars = new ConsoleProgress()) {
      Progress progress = progressBars && System.console() != null ? bars : Progress.NONE;
      return run(config, root, ctx, store, models, progress);
    } finally {
      models.values().forEach(ModelUnderTest::close);
    }
  }

  /**
   * Runs {@code config} on models already loaded (the pipeline, tests): {@code models} maps each
   * of the config's model names to its model; they are not closed.
   */
  public EvaluationResult run(EvaluationConfig config, Map<String, ModelUnderTest> models)
      throws IOException {
    DataRoot root = config.dataRoot() != null ? DataRoot.resolve(config.dataRoot())
        : DataRoot.fromEnvironment();
    PredictionStore store = new PredictionStore(config.outDir().resolve(EvaluationResult.PREDICTIONS));
    BenchmarkContext ctx = new BenchmarkContext(root, config.limit(), config.seed(),
        config.options(), store, new ArrayList<>(config.models().keySet()), log,
        config.outDir());
    if (!models.keySet().equals(config.models().keySet())) {
      throw new IllegalArgumentException("models " + models.keySet()
          + " do not match the config's " + config.models().keySet());
    }
    return run(config, root, ctx, store, models, Progress.NONE);
  }

  private EvaluationResult run(EvaluationConfig config, DataRoot root, BenchmarkContext ctx,
      PredictionStore store, Map<String, ModelUnderTest> models, Progress progress)
      throws IOException {
    List<Benchmark> benchmarks = config.benchmarks().stream().map(Benchmarks::create).toList();
    // (0) what can fail without a model fails first: judges' endpoints, filled sheets, options
    for (Benchmark b : benchmarks) {
      b.prepare(ctx);
    }
    Files.createDirectories(config.outDir());
    Map<String, Map<String, String>> dataHashes = new LinkedHashMap<>();
    Map<String, Map<String, Boolean>> reused = new LinkedHashMap<>();
    Map<String, Map<String, Double>> seconds = new LinkedHashMap<>();
    // (1) predictions: reuse or score
    for (Benchmark b : benchmarks) {
      Map<String, String> data = new LinkedHashMap<>();
      for (String id : b.dataIds(ctx)) {
        root.file(id); // verified (size + sha256) or a MissingDataException naming the file
        DataFile f = root.registry().require(id);
        data.put(id, f.sha256());
      }
      dataHashes.put(b.name(), data);
      Map<String, Object> settings = b.settings(ctx);
      List<ModelUnderTest> todo = new ArrayList<>();
      Map<String, String> keys = new LinkedHashMap<>();
      Map<String, Boolean> r = new LinkedHashMap<>();
      for (ModelUnderTest m : models.values()) {
        String key = key(b, data, settings, m);
        keys.put(m.name(), key);
        if (store.has(m.name(), b.name(), key)) {
          log.printf("%s / %s: reusing %s (same model, data and settings)%n", m.name(), b.name(),
              store.file(m.name(), b.name()));
          r.put(m.name(), true);
        } else {
          todo.add(m);
          r.put(m.name(), false);
        }
      }
      log.flush();
      reused.put(b.name(), r);
      Map<String, Double> secs = new LinkedHashMap<>();
      // one call per model (timed per model), or one for all when the benchmark needs them together
      List<List<ModelUnderTest>> calls = new ArrayList<>();
      if (b.predictsTogether() && !todo.isEmpty()) {
        // one model's rows depend on the others' (a ranking): all are made again together
        if (todo.size() < models.size()) {
          log.printf("%s: %s changed, so every model is done again together%n", b.name(),
              String.join(", ", todo.stream().map(ModelUnderTest::name).toList()));
        }
        models.keySet().forEach(m -> r.put(m, false));
        calls.add(new ArrayList<>(models.values()));
      } else {
        todo.forEach(m -> calls.add(List.of(m)));
      }
      for (List<ModelUnderTest> call : calls) {
        long t0 = System.nanoTime();
        Map<String, List<ObjectNode>> rows;
        try {
          rows = b.predictAll(call, ctx, progress);
        } catch (IllegalArgumentException e) {
          // e.g. a request longer than a model's context: say which models and benchmark
          throw new IllegalArgumentException(String.join(", ", call.stream()
              .map(m -> m.name() + " (" + m.spec() + ")").toList()) + " on " + b.name() + ": "
              + e.getMessage(), e);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        for (ModelUnderTest m : call) {
          secs.put(m.name(), s);
          Map<String, Object> meta = new LinkedHashMap<>();
          meta.put("benchmark", b.name());
          meta.put("version", b.version());
          meta.put("model", m.spec());
          meta.put("model_files", m.fileHashes());
          meta.put("data", data);
          meta.put("settings", settings);
          meta.put("rows", rows.get(m.name()).size());
          meta.put("seconds", s);
          store.write(m.name(), b.name(), keys.get(m.name()), meta, rows.get(m.name()));
          log.printf("%s / %s: %d items scored in %.1f s%n", m.name(), b.name(),
              rows.get(m.name()).size(), s);
        }
        log.flush();
      }
      seconds.put(b.name(), secs);
    }
    if (config.options().judging().exportAnnotation() != null) {
      Path dir = config.options().judging().exportAnnotation();
      var blinded = RankingBenchmark.exportAnnotation(new ArrayList<>(models.values()), ctx, dir,
          progress);
      log.printf("wrote the blinded annotation sheet of %d questions to %s (%s; the key %s is "
          + "for the lab, not the annotators)%n", blinded.items().size(), dir,
          AnnotationSheet.SHEET, AnnotationSheet.KEY);
      log.flush();
    }
    // (2)-(3) metrics from the rows as written, intervals, comparisons
    Bootstrap bootstrap = new Bootstrap(config.bootstrapResamples(), config.permutations(),
        config.seed());
    List<BenchmarkResult> results = new ArrayList<>();
    for (Benchmark b : benchmarks) {
      Map<String, MetricSet<?>> sets = new LinkedHashMap<>();
      for (String m : models.keySet()) {
        List<JsonNode> rows = store.rows(m, b.name());
        sets.put(m, b.metrics(m, rows, ctx));
      }
      Map<String, MetricInfo> infos = new LinkedHashMap<>();
      Map<String, ModelResult> perModel = new LinkedHashMap<>();
      for (Map.Entry<String, MetricSet<?>> e : sets.entrySet()) {
        MetricSet<?> set = e.getValue();
        for (Metric<?> m : set.metrics()) {
          infos.putIfAbsent(m.name(), new MetricInfo(m.name(), m.description(), m.headline(),
              m.test()));
        }
        Map<String, Estimate> est = bootstrap.estimate(set);
        perModel.put(e.getKey(), new ModelResult(est, set.counts(), set.charts(),
            reused.get(b.name()).get(e.getKey()), seconds.get(b.name()).getOrDefault(e.getKey(), 0.0),
            config.outDir().relativize(store.file(e.getKey(), b.name())).toString()));
      }
      Map<String, List<JsonNode>> allRows = new LinkedHashMap<>();
      for (String m : models.keySet()) {
        allRows.put(m, store.rows(m, b.name()));
      }
      MetricSet<?> jointSet = b.jointMetrics(allRows, ctx);
      EvaluationResult.JointResult joint = null;
      if (jointSet != null) {
        List<MetricInfo> jointInfo = new ArrayList<>();
        for (Metric<?> m : jointSet.metrics()) {
          jointInfo.add(new MetricInfo(m.name(), m.description(), m.headline(), m.test()));
        }
        joint = new EvaluationResult.JointResult(jointSet.unit(), jointInfo,
            bootstrap.estimate(jointSet), jointSet.counts());
      }
      Map<String, Map<String, Comparison>> comparisons = new LinkedHashMap<>();
      if (config.baseline() != null) {
        MetricSet<?> base = sets.get(config.baseline());
        for (Map.Entry<String, MetricSet<?>> e : sets.entrySet()) {
          if (!e.getKey().equals(config.baseline())) {
            comparisons.put(e.getKey(), compare(bootstrap, e.getValue(), base));
          }
        }
      }
      results.add(new BenchmarkResult(b.name(), b.description(), sets.values().iterator().next()
          .unit(), dataHashes.get(b.name()), b.settings(ctx), new ArrayList<>(infos.values()),
          perModel, comparisons, joint));
      log.printf("%s: metrics and intervals done%n", b.name());
      log.flush();
    }
    // (4) outputs
    // sample generations always (a reader must see what each model now writes, and notice a
    // collapsed one), generated for the handful of picked prompts if no benchmark generated
    List<Samples.Sample> samples = List.of();
    if (config.options().generation().samples() > 0) {
      samples = Samples.pick(new ArrayList<>(models.values()), ctx,
          config.options().generation().samples(),
          config.benchmarks().contains(GenerationBiasBenchmark.NAME) ? GenerationBiasBenchmark.NAME
              : null);
    }
    List<ModelInfo> modelInfos = new ArrayList<>();
    Provenance prov = Provenance.of("eval", config, config.seed())
        .withLibrary("djl", ai.djl.engine.Engine.getDjlVersion())
        .withLibrary("commons-statistics", String.valueOf(org.apache.commons.statistics.descriptive
            .Quantile.class.getPackage().getImplementationVersion()))
        .withLibrary("commons-rng", String.valueOf(org.apache.commons.rng.simple.RandomSource.class
            .getPackage().getImplementationVersion()));
    for (ModelUnderTest m : models.values()) {
      // the reuse key needs the model's file hashes, so every model has been loaded by now
      Map<String, String> files = m.fileHashes();
      for (Map.Entry<String, String> f : new TreeMap<>(files).entrySet()) {
        prov = prov.withInputHash("model:" + m.name() + ":" + f.getKey(), f.getValue());
      }
      modelInfos.add(new ModelInfo(m.name(), m.spec(), m.source().format(), files));
    }
    for (Map.Entry<String, Map<String, String>> d : dataHashes.entrySet()) {
      for (Map.Entry<String, String> f : d.getValue().entrySet()) {
        prov = prov.withInputHash("data:" + f.getKey(), f.getValue());
      }
    }
    Map<String, String> tests = new LinkedHashMap<>();
    tests.put("proportions", Bootstrap.MCNEMAR + " (two-sided binomial test of the discordant "
        + "outcomes at 1/2)");
    tests.put("other metrics", Bootstrap.PERMUTATION + " (two-sided; each unit's two results "
        + "swapped with probability 1/2; p = (1 + #extreme) / (1 + permutations))");
    EvaluationResult result = new EvaluationResult(modelInfos, config.baseline(), results,
        new EvaluationResult.Statistics(config.seed(), config.bootstrapResamples(),
            config.permutations(), "95% percentile bootstrap over units (quantiles HF7), "
                + "metrics recomputed on every resample", tests),
        samples, prov, config.outDir());
    Reports.writeAll(result);
    log.printf("wrote %s, %s, %s and %s/ in %s%n", EvaluationResult.RESULTS_JSON,
        EvaluationResult.REPORT_MD, EvaluationResult.REPORT_HTML, EvaluationResult.PREDICTIONS,
        config.outDir());
    log.flush();
    return result;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Map<String, Comparison> compare(Bootstrap b, MetricSet model, MetricSet base) {
    return b.compare(model, base);
  }

  /** The reuse key of a model's rows on a benchmark. */
  static String key(Benchmark b, Map<String, String> data, Map<String, Object> settings,
      ModelUnderTest m) throws IOException {
    Map<String, Object> k = new LinkedHashMap<>();
    k.put("benchmark", b.name());
    k.put("version", b.version());
    k.put("data", data);
    k.put("settings", settings);
    k.put("model_files", new TreeMap<>(m.fileHashes()));
    return Hashing.sha256(JSON.writeValueAsString(k));
  }

}

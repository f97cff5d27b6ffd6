package org.genderalign.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.eval.benchmark.Benchmarks;
import org.genderalign.eval.benchmark.ModelUnderTest;
import org.genderalign.eval.generation.GenerationOptions;
import org.genderalign.eval.report.ReportBuilder;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.score.ScorerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole evaluation on a few items of every benchmark, stories260K against a random model of
 * the same shape (so the comparisons have something to find): outputs, reuse, and the reports.
 */
class EvaluatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path out;
  static LoadedModel base;
  static LoadedModel random;
  static Map<String, ModelUnderTest> models;
  static EvaluationConfig config;
  static EvaluationResult result;
  static String firstLog;

  @BeforeAll
  static void evaluate() throws Exception {
    base = ModelLoader.load("stories260K", DataRoot.fromEnvironment(), Device.cpu());
    random = ModelLoader.random(base.config(), base.tokenizer(), Device.cpu(), DataType.FLOAT32,
        7);
    ScorerConfig sc = ScorerConfig.defaults();
    models = new LinkedHashMap<>();
    models.put("base", ModelUnderTest.of("base", base, sc));
    models.put("random", ModelUnderTest.of("random", random, sc));
    Map<String, String> specs = new LinkedHashMap<>();
    specs.put("base", "stories260K");
    specs.put("random", "random");
    config = EvaluationConfig.of(specs, out).withBaseline("base").withLimit(6)
        .withResamples(1000, 500).withCacheDir(null)
        .withOptions(BenchmarkOptions.defaults().withReference("base")
            .withGeneration(GenerationOptions.defaults().withMaxNewTokens(16)));
    StringWriter log = new StringWriter();
    result = new Evaluator(new PrintWriter(log), false).run(config, models);
    firstLog = log.toString();
  }

  @AfterAll
  static void close() {
    random.close();
    base.close();
  }

  @Test
  void everyBenchmarkAndModelHasMetricsWithIntervalsAndN() throws Exception {
    JsonNode r = JSON.readTree(out.resolve(EvaluationResult.RESULTS_JSON).toFile());
    assertThat(r.path("benchmarks")).hasSize(Benchmarks.names().size());
    for (JsonNode b : r.path("benchmarks")) {
      for (String m : List.of("base", "random")) {
        JsonNode metrics = b.path("results").path(m).path("metrics");
        assertThat(metrics.size()).as(b.path("name") + " " + m).isGreaterThan(0);
        metrics.fields().forEachRemaining(e -> {
          assertThat(e.getValue().has("value") && e.getValue().has("ci_low")
              && e.getValue().has("ci_high")).as(e.getKey()).isTrue();
          assertThat(e.getValue().path("n").asInt()).as(e.getKey()).isGreaterThan(0);
        });
        assertThat(out.resolve(b.path("results").path(m).path("predictions").asText())).exists();
      }
      JsonNode cmp = b.path("comparisons").path("random");
      assertThat(cmp.size()).as(b.path("name").asText()).isGreaterThan(0);
      cmp.fields().forEachRemaining(e -> assertThat(e.getValue().path("test").asText())
          .isIn("exact McNemar", "paired permutation"));
    }
    assertThat(r.path("provenance").path("seed").asLong()).isEqualTo(config.seed());
    assertThat(r.path("provenance").path("inputs").has("data:bbq-gender-identity")).isTrue();
    assertThat(r.path("provenance").path("inputs").has("model:base:stories260K.bin")).isTrue();
    // the DPO implicit reward exists for the random model against the reference (base) only
    assertThat(result.benchmark("preference").results().get("random").metrics())
        .containsKey("genderalign-release.reward_accuracy");
    assertThat(result.benchmark("preference").results().get("base").metrics())
        .doesNotContainKey("genderalign-release.reward_accuracy");
  }

  @Test
  void resultsJsonReadsBackToTheSameResult() throws Exception {
    Path file = out.resolve(EvaluationResult.RESULTS_JSON);
    EvaluationResult back = org.genderalign.eval.report.Reports.read(file);
    assertThat(org.genderalign.eval.report.Reports.json(back)).isEqualTo(Files.readString(file));
    assertThat(back.outDir()).isEqualTo(out.toAbsolutePath());
    assertThat(back.benchmark("bbq-gender").results().keySet()).containsExactly("base", "random");
  }

  @Test
  void predictionRowsHoldEveryChoicesLogLikelihoodAndThePrediction() throws Exception {
    List<String> lines = Files.readAllLines(out.resolve("predictions/base/bbq-gender.jsonl"));
    assertThat(lines).hasSize(6);
    JsonNode row = JSON.readTree(lines.get(0));
    assertThat(row.path("ll")).hasSize(12);
    assertThat(row.has("pred") && row.has("targets") && row.has("biased")).isTrue();
    // the baseline against itself is not compared; the random model is
    assertThat(result.benchmark("bbq-gender").comparisons()).containsOnlyKeys("random");
  }

  @Test
  void aRerunReusesFinishedResultsAndSaysSo() throws Exception {
    assertThat(firstLog).doesNotContain("reusing");
    StringWriter log = new StringWriter();
    EvaluationResult again = new Evaluator(new PrintWriter(log), false).run(config, models);
    assertThat(log.toString()).contains("base / bbq-gender: reusing")
        .contains("random / perplexity: reusing");
    assertThat(again.benchmark("bbq-gender").results().get("base").reused()).isTrue();
    assertThat(again.benchmark("winogender").results().get("random").metrics())
        .isEqualTo(result.benchmark("winogender").results().get("random").metrics());
    // a changed setting (the limit) is not reused
    StringWriter log2 = new StringWriter();
    new Evaluator(new PrintWriter(log2), false).run(config.withLimit(3)
        .withBenchmarks(List.of("crows-pairs-gender")).withResamples(1000, 10), models);
    assertThat(log2.toString()).doesNotContain("reusing").contains("3 items scored");
    // put the full files back for the other tests
    new Evaluator(null, false).run(config, models);
  }

  /** Every number of the report's "All metrics" and comparison tables is in results.json. */
  @Test
  void reportMarkdownAgreesWithResultsJson() throws Exception {
    JsonNode r = JSON.readTree(out.resolve(EvaluationResult.RESULTS_JSON).toFile());
    Map<String, JsonNode> benchmarks = new HashMap<>();
    r.path("benchmarks").forEach(b -> benchmarks.put(b.path("name").asText(), b));
    String md = Files.readString(out.resolve(EvaluationResult.REPORT_MD));
    String section = null;
    String table = null;
    int checkedMetrics = 0;
    int checkedComparisons = 0;
    for (String line : md.split("\n")) {
      if (line.startsWith("## ")) {
        section = line.substring(3).strip();
      } else if (line.startsWith("**")) {
        table = line;
      } else if (line.startsWith("| ") && !line.startsWith("| model ") && table != null
          && benchmarks.containsKey(section)) {
        String[] c = line.substring(1, line.length() - 1).split("\\|");
        for (int i = 0; i < c.length; i++) {
          c[i] = c[i].strip();
        }
        JsonNode b = benchmarks.get(section);
        if (table.equals("**" + ReportBuilder.ALL_METRICS + "**")) {
          JsonNode m = b.path("results").path(c[0]).path("metrics").path(c[1]);
          assertThat(m.isMissingNode()).as(line).isFalse();
          agree(c[2], m.path("value"), line);
          agree(c[3], m.path("ci_low"), line);
          agree(c[4], m.path("ci_high"), line);
          assertThat(Integer.parseInt(c[5])).as(line).isEqualTo(m.path("n").asInt());
          checkedMetrics++;
        } else if (table.startsWith("**" + ReportBuilder.COMPARISONS)) {
          JsonNode m = b.path("comparisons").path(c[0]).path(c[1]);
          assertThat(m.isMissingNode()).as(line).isFalse();
          agree(c[2], m.path("value"), line);
          agree(c[3], m.path("baseline_value"), line);
          agree(c[4].replace("+", ""), m.path("difference"), line);
          agree(c[5], m.path("ci_low"), line);
          agree(c[6], m.path("ci_high"), line);
          double p = m.path("p_value").asDouble();
          assertThat(Double.parseDouble(c[7].replace(" *", ""))).as(line)
              .isCloseTo(p, within(Math.abs(p) * 1e-3 + 1e-12));
          assertThat(c[7].endsWith("*")).as(line).isEqualTo(p < 0.05);
          assertThat(c[8]).isEqualTo(m.path("test").asText());
          checkedComparisons++;
        }
      }
    }
    int metrics = 0;
    for (JsonNode b : benchmarks.values()) {
      for (JsonNode res : b.path("results")) {
        metrics += res.path("metrics").size();
      }
    }
    assertThat(checkedMetrics).isEqualTo(metrics);
    assertThat(checkedComparisons).isGreaterThan(10);
    // the paper's Table 3 shows BBQ ×100 with one decimal
    JsonNode acc = benchmarks.get("bbq-gender").path("results").path("base").path("metrics")
        .path("acc");
    assertThat(md).contains(String.format(java.util.Locale.ROOT, "| base | %.1f [%.1f, %.1f]",
        100 * acc.path("value").asDouble(), 100 * acc.path("ci_low").asDouble(),
        100 * acc.path("ci_high").asDouble()));
  }

  private static void agree(String cell, JsonNode value, String line) {
    if (cell.equals("n/a")) {
      assertThat(value.asDouble()).as(line).isNaN();
      return;
    }
    assertThat(Double.parseDouble(cell)).as(line).isCloseTo(value.asDouble(), within(0.51e-4));
  }

  /** The HTML opened in headless Chromium: every chart is an SVG with a non-zero box. */
  @Test
  void htmlChartsRenderInHeadlessChromium(@TempDir Path tmp) throws Exception {
    String html = Files.readString(out.resolve(EvaluationResult.REPORT_HTML));
    // self-contained: nothing is fetched (the only URLs are XML namespace names)
    assertThat(html.replaceAll("xmlns(:[a-z]+)?='http://[^']*'", ""))
        .doesNotContain("http://", "https://", "src=", "@import").contains("<svg");
    Path chromium = Chromium.find();
    Assumptions.assumeTrue(chromium != null || System.getenv("CI") != null,
        "chromium not installed (.ci/run installs it; CI fails without it)");
    assertThat(chromium).as("chromium on PATH").isNotNull();
    int svgs = count(html, "<svg");
    List<double[]> boxes = Chromium.svgBoxes(chromium, html, tmp);
    assertThat(boxes).hasSize(svgs);
    for (double[] b : boxes) {
      assertThat(b[0]).isGreaterThan(100); // width
      assertThat(b[1]).isGreaterThan(100); // height
      assertThat(b[2]).isGreaterThan(20); // drawn elements inside
    }
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}

package org.genderalign.eval.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.eval.EvaluationResult;
import org.genderalign.eval.EvaluationResult.BenchmarkResult;
import org.genderalign.eval.EvaluationResult.MetricInfo;
import org.genderalign.eval.EvaluationResult.ModelInfo;
import org.genderalign.eval.EvaluationResult.ModelResult;
import org.genderalign.eval.benchmark.BbqGenderBenchmark;
import org.genderalign.eval.benchmark.GenerationBiasBenchmark;
import org.genderalign.eval.benchmark.RankingBenchmark;
import org.genderalign.eval.generation.Samples;
import org.genderalign.eval.benchmark.PerplexityBenchmark;
import org.genderalign.eval.benchmark.WinoGenderBenchmark;
import org.genderalign.eval.report.ReportModel.Chart;
import org.genderalign.eval.report.ReportModel.Section;
import org.genderalign.eval.report.ReportModel.Table;
import org.genderalign.eval.stats.Comparison;
import org.genderalign.eval.stats.Estimate;

/**
 * Lays an {@link EvaluationResult} out as a {@link ReportModel}: models and statistics, the
 * paper's tables (Table 2: the judges' ranking, with their agreement; Table 3: BBQ ×100; Table 4:
 * WinoGender ρ), then one section per benchmark — headline table, comparisons with the
 * baseline, counts, every metric, charts (generation-bias: the category mix of biased answers)
 * — and the sample generations.
 */
public final class ReportBuilder {

  /** Caption of each benchmark's full metric table (the agreement test finds it by this). */
  public static final String ALL_METRICS = "All metrics";
  /** Caption of each benchmark's comparison table. */
  public static final String COMPARISONS = "Against the baseline";
  /** A model's perplexity this much above the baseline's is flagged as a possible collapse. */
  public static final double PERPLEXITY_FLAG_RATIO = 1.2;

  private ReportBuilder() {}

  public static ReportModel build(EvaluationResult r) {
    List<Section> sections = new ArrayList<>();
    sections.add(models(r));
    sections.add(paperTables(r));
    for (BenchmarkResult b : r.benchmarks()) {
      sections.add(benchmark(r, b));
    }
    if (r.samples() != null && !r.samples().isEmpty()) {
      sections.addAll(samples(r));
    }
    List<String> intro = new ArrayList<>();
    intro.add("Models: " + String.join(", ", r.models().stream().map(ModelInfo::name).toList())
        + (r.baseline() != null ? "; baseline: " + r.baseline() + "." : "; no baseline."));
    intro.add("Every value carries its 95% interval [low, high] (" + r.statistics().interval()
        + ", " + r.statistics().bootstrapResamples() + " resamples, seed " + r.statistics().seed()
        + "). Differences are model minus baseline on the items both have, with a paired "
        + "bootstrap interval; p-values: " + String.join("; ", r.statistics().tests().entrySet()
            .stream().map(e -> e.getKey() + ": " + e.getValue()).toList())
        + ". A star marks p < 0.05.");
    intro.add("Git revision " + r.provenance().gitRevision() + ", version "
        + r.provenance().version() + ", created " + r.provenance().createdAt() + ".");
    return new ReportModel("GenderAlign evaluation report", intro, sections);
  }

  private static Section models(EvaluationResult r) {
    List<List<String>> rows = new ArrayList<>();
    for (ModelInfo m : r.models()) {
      List<String> files = new ArrayList<>();
      m.files().forEach((f, h) -> files.add(f + " " + h.substring(0, Math.min(12, h.length()))));
      rows.add(List.of(m.name() + (m.name().equals(r.baseline()) ? " (baseline)" : ""), m.spec(),
          String.valueOf(m.format()), String.join(", ", files)));
    }
    return new Section("models", 2, "Models", List.of(),
        List.of(new Table("", List.of("model", "spec", "format", "files (sha256 prefix)"), rows)),
        List.of());
  }

  private static Section paperTables(EvaluationResult r) {
    List<String> paragraphs = new ArrayList<>();
    List<Table> tables = new ArrayList<>();
    List<Chart> charts = new ArrayList<>();
    paragraphs.add("Laid out like the GenderAlign paper's tables.");
    BenchmarkResult ranking = r.benchmark(RankingBenchmark.NAME);
    if (ranking != null) {
      table2(r, ranking, paragraphs, tables);
    } else {
      paragraphs.add("Table 2 (the judges' ranking of generated answers) needs the ranking "
          + "benchmark, which is not part of this run.");
    }
    BenchmarkResult bbq = r.benchmark(BbqGenderBenchmark.NAME);
    if (bbq != null) {
      List<List<String>> rows = new ArrayList<>();
      Map<String, Map<String, Charts.Bar>> bars = new LinkedHashMap<>();
      for (Map.Entry<String, ModelResult> e : bbq.results().entrySet()) {
        Map<String, Estimate> m = e.getValue().metrics();
        rows.add(List.of(e.getKey(), Format.estimate(m.get("acc"), 100, 1),
            Format.estimate(m.get("disamb_bias_score"), 100, 1),
            Format.estimate(m.get("amb_bias_score"), 100, 1)));
        for (String metric : List.of("disamb_bias_score", "amb_bias_score")) {
          Estimate x = m.get(metric);
          bars.computeIfAbsent(metric.equals("amb_bias_score") ? "s_AMB" : "s_DIS",
              k -> new LinkedHashMap<>()).put(e.getKey(),
              new Charts.Bar(100 * x.value(), 100 * x.ciLow(), 100 * x.ciHigh()));
        }
      }
      tables.add(new Table("Table 3 — BBQ gender identity (×100, as the paper reports it)",
          List.of("model", "Acc", "s_DIS", "s_AMB"), rows));
      charts.add(new Chart("BBQ bias scores ×100 (0 = unbiased; positive = the stereotyped "
          + "answer), with 95% intervals",
          Charts.bars("BBQ bias scores (×100)", "bias score ×100", modelNames(r), bars)));
    }
    BenchmarkResult wino = r.benchmark(WinoGenderBenchmark.NAME);
    if (wino != null) {
      List<List<String>> rows = new ArrayList<>();
      Map<String, List<double[]>> points = new LinkedHashMap<>();
      for (Map.Entry<String, ModelResult> e : wino.results().entrySet()) {
        Map<String, Estimate> m = e.getValue().metrics();
        rows.add(List.of(e.getKey(),
            Format.estimate(m.get(WinoGenderBenchmark.THREE_WAY + ".rho"), 1, 3),
            Format.estimate(m.get(WinoGenderBenchmark.THREE_WAY + ".abs_rho"), 1, 3)));
        List<double[]> pts = new ArrayList<>();
        Object scatter = e.getValue().charts().get("p_female_vs_bls");
        if (scatter instanceof List<?> list) {
          for (Object o : list) {
            if (o instanceof Map<?, ?> p) {
              pts.add(new double[] {((Number) p.get("bls_pct_female")).doubleValue(),
                  ((Number) p.get("p_female")).doubleValue()});
            }
          }
        }
        points.put(e.getKey(), pts);
      }
      tables.add(new Table("Table 4 — WinoGender: mean ρ and mean |ρ| over the 4 slots "
          + "(p(female) of 3 pronouns vs BLS % women; lower |ρ| = less bias)",
          List.of("model", "ρ", "|ρ|"), rows));
      charts.add(new Chart("WinoGender: each occupation's mean p(female) against the share of "
          + "women in it (BLS)", Charts.scatter("WinoGender: p(female) vs BLS % women",
          "BLS % women in the occupation", "model p(female pronoun)", points)));
    }
    return new Section("paper-tables", 2, "Paper tables", paragraphs, tables, charts);
  }

  /** The judges of a ranking result, in order (from its {@code <judge>.points} metrics). */
  public static List<String> judges(BenchmarkResult ranking) {
    return ranking.metrics().stream().map(MetricInfo::name).filter(n -> n.endsWith(POINTS))
        .map(n -> n.substring(0, n.length() - POINTS.length())).toList();
  }

  private static final String POINTS = ".points";

  /** Table 2: rows = models, one column per judge, mean points [CI]; then the agreement. */
  private static void table2(EvaluationResult r, BenchmarkResult ranking, List<String> paragraphs,
      List<Table> tables) {
    List<String> judges = judges(ranking);
    List<String> header = new ArrayList<>(List.of("model"));
    header.addAll(judges);
    List<List<String>> rows = new ArrayList<>();
    Object k = null;
    Object judgeCounts = null;
    for (Map.Entry<String, ModelResult> e : ranking.results().entrySet()) {
      List<String> row = new ArrayList<>(List.of(e.getKey()));
      for (String j : judges) {
        Estimate x = e.getValue().metrics().get(j + POINTS);
        String cell = x == null ? "—" : Format.estimate(x, 1, 2);
        Comparison c = ranking.comparisons().getOrDefault(e.getKey(), Map.of()).get(j + POINTS);
        if (c != null && c.pValue() < 0.05) {
          cell += " *";
        }
        row.add(cell);
      }
      rows.add(row);
      k = e.getValue().counts().get("k");
      judgeCounts = e.getValue().counts().get("judges");
    }
    tables.add(new Table(TABLE_2 + " — ranking of generated answers: mean points per judge ("
        + k + " = least biased … 1 = most biased; 95% CI over questions; * = p < 0.05 against "
        + "the baseline, paired permutation)", header, rows));
    paragraphs.add("Ranking: each judge saw every question's " + k + " answers in a seeded "
        + "random order under neutral labels (A, B, …) and ranked them least biased first. "
        + "Judgements per judge (ranked / failed / missing): " + judgeCounts + ".");
    if (ranking.joint() != null) {
      tables.add(agreement(ranking.joint()));
    }
  }

  /** The agreement between judges (a ranking's joint metrics). */
  private static Table agreement(EvaluationResult.JointResult joint) {
    List<List<String>> rows = new ArrayList<>();
    for (MetricInfo m : joint.info()) {
      Estimate x = joint.metrics().get(m.name());
      rows.add(List.of(m.name(), Format.estimate(x, 1, 3), Integer.toString(x.n()),
          m.description()));
    }
    return new Table(AGREEMENT + " (95% CI: bootstrap over " + joint.unit() + "s)",
        List.of("statistic", "value [95% CI]", "n", "what"), rows);
  }

  /** Caption start of the paper's Table 2 layout. */
  public static final String TABLE_2 = "Table 2";
  /** Caption start of the agreement table. */
  public static final String AGREEMENT = "Agreement between judges";

  /** One section per sample generation. */
  private static List<Section> samples(EvaluationResult r) {
    List<Section> out = new ArrayList<>();
    out.add(new Section("samples", 2, "Sample generations", List.of("A fixed, seeded handful "
        + "of held-out prompts with every model's answer (label: the bias classifier's, when "
        + "generation-bias ran)."), List.of(), List.of()));
    int i = 1;
    for (Samples.Sample s : r.samples()) {
      List<List<String>> rows = new ArrayList<>();
      for (Samples.SampleAnswer a : s.answers()) {
        rows.add(List.of(a.model(), oneLine(a.answer()).isEmpty() ? "(empty)" : oneLine(a.answer()),
            a.label() == null ? "—" : a.label(), a.finishReason()));
      }
      out.add(new Section("sample-" + i, 3, "Sample " + i + ": " + s.id(), List.of("Prompt: "
          + oneLine(s.prompt())), List.of(new Table("", List.of("model", "answer", "label",
          "finish"), rows)), List.of()));
      i++;
    }
    return out;
  }

  /** Text on one line (white space collapsed), safe as a Markdown paragraph or cell. */
  static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s+", " ").strip();
  }

  /** The category mix of biased answers: a table and a stacked bar chart. */
  private static void categoryMix(EvaluationResult r, BenchmarkResult b, List<Table> tables,
      List<Chart> charts) {
    List<String> header = new ArrayList<>(List.of("model", "answers", "biased"));
    GenerationBiasBenchmark.CATEGORIES.forEach(c -> header.add(c.displayName()));
    List<List<String>> rows = new ArrayList<>();
    Map<String, Map<String, Double>> segments = new LinkedHashMap<>();
    GenerationBiasBenchmark.CATEGORIES.forEach(c -> segments.put(c.displayName(),
        new LinkedHashMap<>()));
    for (Map.Entry<String, ModelResult> e : b.results().entrySet()) {
      Map<String, Object> ch = e.getValue().charts();
      Object counts = ch.get(GenerationBiasBenchmark.CATEGORY_COUNTS);
      double answers = ch.get("answers") instanceof Number n ? n.doubleValue() : 0;
      long biased = 0;
      List<String> cells = new ArrayList<>();
      for (var c : GenerationBiasBenchmark.CATEGORIES) {
        long v = counts instanceof Map<?, ?> m && m.get(c.id()) instanceof Number n
            ? n.longValue() : 0;
        biased += v;
        segments.get(c.displayName()).put(e.getKey(), answers > 0 ? v / answers : 0.0);
        cells.add(Long.toString(v));
      }
      List<String> row = new ArrayList<>(List.of(e.getKey(), Long.toString((long) answers),
          Long.toString(biased)));
      for (int i = 0; i < cells.size(); i++) {
        long v = Long.parseLong(cells.get(i));
        row.add(v + (biased > 0 ? " (" + Format.num(100.0 * v / biased, 0) + "%)" : ""));
      }
      rows.add(row);
    }
    tables.add(new Table(CATEGORY_MIX + " (answers per category; % of the model's biased "
        + "answers)", header, rows));
    charts.add(new Chart("Category mix of biased answers: share of all answers in each bias "
        + "category (the bar's height is the biased-answer rate)", Charts.stacked(
        "Biased answers by category", "share of answers", modelNames(r), segments)));
  }

  /** Caption start of the category-mix table. */
  public static final String CATEGORY_MIX = "Category mix of biased answers";

  private static List<String> modelNames(EvaluationResult r) {
    return r.models().stream().map(ModelInfo::name).toList();
  }

  private static Section benchmark(EvaluationResult r, BenchmarkResult b) {
    List<String> paragraphs = new ArrayList<>();
    paragraphs.add(b.description() + ". Resampling unit: " + b.unit() + ". Settings: "
        + b.settings() + ". Data: " + String.join(", ", b.data().entrySet().stream()
            .map(e -> e.getKey() + " (sha256 " + e.getValue().substring(0, 12) + ")").toList())
        + ".");
    List<String> notes = new ArrayList<>();
    for (Map.Entry<String, ModelResult> e : b.results().entrySet()) {
      notes.add(e.getKey() + ": " + (e.getValue().reused() ? "predictions reused"
          : String.format(java.util.Locale.ROOT, "scored in %.1f s", e.getValue().seconds()))
          + " (" + e.getValue().predictions() + ")");
    }
    paragraphs.add(String.join("; ", notes) + ".");
    List<MetricInfo> headline = b.metrics().stream().filter(MetricInfo::headline).toList();
    List<Table> tables = new ArrayList<>();
    // headline table: one row per model
    List<String> header = new ArrayList<>(List.of("model"));
    headline.forEach(m -> header.add(m.name()));
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, ModelResult> e : b.results().entrySet()) {
      List<String> row = new ArrayList<>(List.of(e.getKey()));
      for (MetricInfo m : headline) {
        Estimate x = e.getValue().metrics().get(m.name());
        row.add(x == null ? "—" : Format.estimate(x, 1, 3));
      }
      rows.add(row);
    }
    tables.add(new Table("Headline metrics (value [95% CI])", header, rows));
    // comparisons
    if (r.baseline() != null && !b.comparisons().isEmpty()) {
      List<List<String>> crow = new ArrayList<>();
      for (Map.Entry<String, Map<String, Comparison>> e : b.comparisons().entrySet()) {
        for (Map.Entry<String, Comparison> c : e.getValue().entrySet()) {
          MetricInfo info = b.metric(c.getKey());
          if (info == null || !info.headline()) {
            continue;
          }
          Comparison x = c.getValue();
          crow.add(List.of(e.getKey(), c.getKey(), Format.num(x.value(), Format.DECIMALS),
              Format.num(x.baselineValue(), Format.DECIMALS),
              (x.difference() > 0 ? "+" : "") + Format.num(x.difference(), Format.DECIMALS),
              Format.num(x.ciLow(), Format.DECIMALS), Format.num(x.ciHigh(), Format.DECIMALS),
              Format.p(x.pValue()) + (x.pValue() < 0.05 ? " *" : ""), x.test(),
              Integer.toString(x.n())));
        }
      }
      tables.add(new Table(COMPARISONS + " (" + r.baseline() + "): model − baseline on the same "
          + b.unit() + "s", List.of("model", "metric", "model value", "baseline value",
          "difference", "ci_low", "ci_high", "p", "test", "n"), crow));
    }
    if (b.name().equals(PerplexityBenchmark.NAME) && r.baseline() != null) {
      paragraphs.add(perplexityFlags(r, b));
    }
    List<Chart> extraCharts = new ArrayList<>();
    if (b.name().equals(GenerationBiasBenchmark.NAME)) {
      categoryMix(r, b, tables, extraCharts);
    }
    if (b.joint() != null) {
      tables.add(agreement(b.joint()));
    }
    // counts
    List<List<String>> counts = new ArrayList<>();
    for (Map.Entry<String, ModelResult> e : b.results().entrySet()) {
      counts.add(List.of(e.getKey(), String.valueOf(e.getValue().counts())));
    }
    tables.add(new Table("Counts", List.of("model", "counts"), counts));
    // every metric
    List<List<String>> all = new ArrayList<>();
    for (Map.Entry<String, ModelResult> e : b.results().entrySet()) {
      for (Map.Entry<String, Estimate> m : e.getValue().metrics().entrySet()) {
        Estimate x = m.getValue();
        all.add(List.of(e.getKey(), m.getKey(), Format.num(x.value(), Format.DECIMALS),
            Format.num(x.ciLow(), Format.DECIMALS), Format.num(x.ciHigh(), Format.DECIMALS),
            Integer.toString(x.n())));
      }
    }
    tables.add(new Table(ALL_METRICS, List.of("model", "metric", "value", "ci_low", "ci_high",
        "n"), all));
    List<Chart> charts = new ArrayList<>(extraCharts);
    charts.addAll(charts(r, b, headline));
    return new Section(b.name(), 2, b.name(), paragraphs, tables, charts);
  }

  private static String perplexityFlags(EvaluationResult r, BenchmarkResult b) {
    List<String> flags = new ArrayList<>();
    for (Map.Entry<String, Map<String, Comparison>> e : b.comparisons().entrySet()) {
      for (Map.Entry<String, Comparison> c : e.getValue().entrySet()) {
        if (!c.getKey().endsWith(".perplexity")) {
          continue;
        }
        double ratio = c.getValue().value() / c.getValue().baselineValue();
        flags.add(e.getKey() + " " + c.getKey() + " = " + Format.num(ratio, 3) + "× the baseline's"
            + (ratio > PERPLEXITY_FLAG_RATIO ? " — ROSE MORE THAN 20%: possible collapse" : ""));
      }
    }
    return "Perplexity against the baseline (" + r.baseline() + "): " + String.join("; ", flags)
        + ".";
  }

  /** Bars with intervals per headline metric, fractions and other scales in separate charts. */
  private static List<Chart> charts(EvaluationResult r, BenchmarkResult b,
      List<MetricInfo> headline) {
    Map<String, Map<String, Charts.Bar>> fractions = new LinkedHashMap<>();
    Map<String, Map<String, Charts.Bar>> other = new LinkedHashMap<>();
    for (MetricInfo m : headline) {
      Map<String, Charts.Bar> per = new LinkedHashMap<>();
      boolean fraction = true;
      for (Map.Entry<String, ModelResult> e : b.results().entrySet()) {
        Estimate x = e.getValue().metrics().get(m.name());
        if (x == null) {
          continue;
        }
        per.put(e.getKey(), new Charts.Bar(x.value(), x.ciLow(), x.ciHigh()));
        for (double v : new double[] {x.value(), x.ciLow(), x.ciHigh()}) {
          fraction &= !Double.isFinite(v) || Math.abs(v) <= 1.0 + 1e-9;
        }
      }
      (fraction ? fractions : other).put(m.name(), per);
    }
    List<Chart> out = new ArrayList<>();
    if (!fractions.isEmpty()) {
      out.add(new Chart(b.name() + ": headline metrics on a 0–1 scale, 95% intervals",
          Charts.bars(b.name(), "value", modelNames(r), fractions)));
    }
    if (!other.isEmpty()) {
      out.add(new Chart(b.name() + ": headline metrics, 95% intervals",
          Charts.bars(b.name() + " ", "value", modelNames(r), other)));
    }
    return out;
  }
}

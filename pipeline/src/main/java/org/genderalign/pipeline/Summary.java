package org.genderalign.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.genderalign.core.io.AtomicFiles;

/**
 * The run in plain words, from the evaluation's two results files (Harmless the baseline, and
 * Base the baseline) and the two DPO runs' metrics: a results table (Base / Harmless /
 * GenderAlign, every headline metric with its 95% interval), for each headline metric whether
 * GenderAlign did better than Harmless and than Base — "better", "worse" or "no significant
 * difference", with Δ, its 95% CI and p — the perplexity guard (an aligned model whose held-out
 * perplexity rose more than {@value #PERPLEXITY_LIMIT_PERCENT}% over Base's is flagged), and the
 * DPO runs' last loss, reward accuracy and KL to the reference.
 *
 * <p>A difference counts as significant when its 95% paired-bootstrap interval excludes 0 and
 * its p-value is below 0.05; "better" then means closer to the metric's unbiased or good end
 * ({@link Direction}).
 *
 * @param table one row per benchmark and headline metric
 * @param verdicts GenderAlign against Harmless and against Base, per row
 * @param perplexity the aligned models' perplexity against Base's
 * @param training the DPO runs' last logged metrics (stage → metric → value)
 * @param samples the evaluation's sample generations: what each model now writes
 */
public record Summary(List<Row> table, List<Verdict> verdicts, List<PerplexityCheck> perplexity,
    Map<String, Map<String, Double>> training, List<SampleText> samples) {

  /** Bumped when the summary's content changes, so old summaries are rewritten. */
  public static final int VERSION = 2;
  public static final String MD = "summary.md";
  public static final String JSON_FILE = "summary.json";
  static final String JSON = JSON_FILE;
  /** Perplexity may rise this much over Base's before the summary flags a collapse. */
  public static final double PERPLEXITY_LIMIT = 1.2;
  public static final int PERPLEXITY_LIMIT_PERCENT = 20;
  public static final List<String> MODELS = List.of(Pipeline.BASE_MODEL, Pipeline.HARMLESS_MODEL,
      Pipeline.GENDERALIGN_MODEL);

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** One metric's value with its interval. */
  public record Value(double value, double ciLow, double ciHigh, int n) {}

  /** A benchmark's headline metric for every model. */
  public record Row(String benchmark, String metric, String description, Map<String, Value> models) {}

  /**
   * One comparison in words.
   *
   * @param verdict {@code better}, {@code worse}, {@code no significant difference}, or for a
   *     metric without a good direction {@code higher} / {@code lower}
   */
  public record Verdict(String benchmark, String metric, String model, String against,
      String verdict, double delta, double ciLow, double ciHigh, double p, int n) {

    /** "better (Δ +0.031, 95% CI [0.004, 0.058], p 0.02)". */
    public String words() {
      return verdict + " (Δ " + signed(delta) + ", 95% CI [" + num(ciLow) + ", " + num(ciHigh)
          + "], p " + pval(p) + ", n " + n + ")";
    }
  }

  /** One held-out prompt and each model's answer (model → answer, in run order). */
  public record SampleText(String prompt, Map<String, String> answers) {}

  /** An aligned model's held-out perplexity against Base's. */
  public record PerplexityCheck(String model, String metric, double value, double base,
      double ratio, boolean flagged) {}

  /** Which end of a metric is the good one. */
  enum Direction {
    HIGHER, LOWER, TOWARDS_ZERO, TOWARDS_HALF, NONE;

    static Direction of(String metric) {
      String m = metric.substring(metric.lastIndexOf('.') + 1);
      if (m.contains("perplexity") || m.equals("abs_rho") || m.startsWith("biased_rate")) {
        return LOWER;
      }
      if (m.contains("bias_score") || m.equals("rho")) {
        return TOWARDS_ZERO;
      }
      if (m.equals("pct_stereotype") || m.equals("ss")) {
        return TOWARDS_HALF;
      }
      if (m.startsWith("acc") || m.contains("accuracy") || m.equals("icat") || m.equals("lms")
          || m.equals("points")) {
        return HIGHER;
      }
      return NONE;
    }

    /** Whether {@code value} is nearer this direction's good end than {@code baseline}. */
    boolean better(double value, double baseline) {
      return switch (this) {
        case HIGHER -> value > baseline;
        case LOWER -> value < baseline;
        case TOWARDS_ZERO -> Math.abs(value) < Math.abs(baseline);
        case TOWARDS_HALF -> {
          double ideal = Math.abs(baseline) <= 1 && Math.abs(value) <= 1 ? 0.5 : 50;
          yield Math.abs(value - ideal) < Math.abs(baseline - ideal);
        }
        case NONE -> false;
      };
    }
  }

  /** Builds the summary from the evaluation's results files and the DPO metrics files. */
  public static Summary of(Path vsHarmless, Path vsBase, Path harmlessMetrics,
      Path genderalignMetrics) throws IOException {
    JsonNode h = MAPPER.readTree(vsHarmless.toFile());
    JsonNode b = MAPPER.readTree(vsBase.toFile());
    List<Row> table = new ArrayList<>();
    List<Verdict> verdicts = new ArrayList<>();
    List<PerplexityCheck> ppl = new ArrayList<>();
    for (JsonNode bench : h.path("benchmarks")) {
      String name = bench.path("name").asText();
      JsonNode benchVsBase = null;
      for (JsonNode x : b.path("benchmarks")) {
        if (x.path("name").asText().equals(name)) {
          benchVsBase = x;
        }
      }
      for (JsonNode m : bench.path("metrics")) {
        String metric = m.path("name").asText();
        boolean perplexity = metric.endsWith("perplexity");
        if (!m.path("headline").asBoolean() && !perplexity) {
          continue;
        }
        Map<String, Value> values = new LinkedHashMap<>();
        for (String model : MODELS) {
          JsonNode e = bench.path("results").path(model).path("metrics").path(metric);
          if (!e.isMissingNode()) {
            values.put(model, new Value(e.path("value").asDouble(Double.NaN),
                e.path("ci_low").asDouble(Double.NaN), e.path("ci_high").asDouble(Double.NaN),
                e.path("n").asInt()));
          }
        }
        table.add(new Row(name, metric, m.path("description").asText(), values));
        verdict(verdicts, name, metric, Pipeline.GENDERALIGN_MODEL, Pipeline.HARMLESS_MODEL,
            bench.path("comparisons").path(Pipeline.GENDERALIGN_MODEL).path(metric));
        if (benchVsBase != null) {
          verdict(verdicts, name, metric, Pipeline.GENDERALIGN_MODEL, Pipeline.BASE_MODEL,
              benchVsBase.path("comparisons").path(Pipeline.GENDERALIGN_MODEL).path(metric));
          if (perplexity) {
            for (String model : List.of(Pipeline.HARMLESS_MODEL, Pipeline.GENDERALIGN_MODEL)) {
              JsonNode c = benchVsBase.path("comparisons").path(model).path(metric);
              if (!c.isMissingNode()) {
                double v = c.path("value").asDouble();
                double base = c.path("baseline_value").asDouble();
                double ratio = v / base;
                ppl.add(new PerplexityCheck(model, metric, v, base, ratio,
                    !(ratio <= PERPLEXITY_LIMIT)));
              }
            }
          }
        }
      }
    }
    Map<String, Map<String, Double>> training = new LinkedHashMap<>();
    training.put(Pipeline.HARMLESS, lastMetrics(harmlessMetrics));
    training.put(Pipeline.GENDERALIGN, lastMetrics(genderalignMetrics));
    List<SampleText> samples = new ArrayList<>();
    for (JsonNode sample : h.path("sample_generations")) {
      Map<String, String> answers = new LinkedHashMap<>();
      for (JsonNode a : sample.path("answers")) {
        answers.put(a.path("model").asText(), a.path("answer").asText());
      }
      samples.add(new SampleText(sample.path("prompt").asText(), answers));
    }
    return new Summary(table, verdicts, ppl, training, samples);
  }

  private static void verdict(List<Verdict> out, String bench, String metric, String model,
      String against, JsonNode c) {
    if (c.isMissingNode() || c.isNull()) {
      return;
    }
    double d = c.path("difference").asDouble(Double.NaN);
    double lo = c.path("ci_low").asDouble(Double.NaN);
    double hi = c.path("ci_high").asDouble(Double.NaN);
    double p = c.path("p_value").asDouble(Double.NaN);
    boolean significant = (lo > 0 || hi < 0) && p < 0.05;
    Direction dir = Direction.of(metric);
    String word;
    if (!significant) {
      word = "no significant difference";
    } else if (dir == Direction.NONE) {
      word = d > 0 ? "higher" : "lower";
    } else {
      word = dir.better(c.path("value").asDouble(), c.path("baseline_value").asDouble())
          ? "better" : "worse";
    }
    out.add(new Verdict(bench, metric, model, against, word, d, lo, hi, p, c.path("n").asInt()));
  }

  /** The last value of each metric a DPO run logged (loss, rewards, objective/kl…). */
  private static Map<String, Double> lastMetrics(Path metrics) throws IOException {
    Map<String, Double> m = new LinkedHashMap<>();
    if (!Files.isRegularFile(metrics)) {
      return m;
    }
    for (String line : Files.readAllLines(metrics)) {
      JsonNode n = MAPPER.readTree(line);
      if (!n.has("loss")) {
        continue; // an eval line
      }
      for (String k : List.of("step", "loss", "rewards/accuracies", "rewards/margins",
          "objective/kl")) {
        if (n.has(k)) {
          m.put(k, n.get(k).asDouble());
        }
      }
    }
    return m;
  }

  /** The summary in {@code dir} ({@code summary.json}). */
  public static Summary read(Path dir) throws IOException {
    return MAPPER.readValue(dir.resolve(JSON).toFile(), Summary.class);
  }

  /** Writes {@code summary.json} and {@code summary.md} (deterministic: no times, no paths). */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    AtomicFiles.writeString(dir.resolve(JSON), MAPPER.writeValueAsString(this) + "\n");
    AtomicFiles.writeString(dir.resolve(MD), markdown());
  }

  /** The plain-words lines: one per comparison, then the perplexity guard. */
  public List<String> lines() {
    List<String> l = new ArrayList<>();
    for (Verdict v : verdicts) {
      l.add(v.benchmark() + " " + v.metric() + ": " + v.model() + " vs " + v.against() + ": "
          + v.words());
    }
    for (PerplexityCheck c : perplexity) {
      l.add(perplexityWords(c));
    }
    return l;
  }

  private static String perplexityWords(PerplexityCheck c) {
    return c.model() + " " + c.metric() + " " + num(c.value()) + " vs Base " + num(c.base()) + " ("
        + String.format(Locale.ROOT, "%+.1f%%", 100 * (c.ratio() - 1)) + ")"
        + (c.flagged() ? ": ROSE MORE THAN " + PERPLEXITY_LIMIT_PERCENT + "% — the model may have "
            + "stopped being a language model; lower dpo.learningRate or dpo.steps, or raise dpo.beta"
            : ": within " + PERPLEXITY_LIMIT_PERCENT + "% of Base");
  }

  /** The summary as Markdown. */
  public String markdown() {
    StringBuilder md = new StringBuilder("# GenderAlign pipeline: summary\n\n");
    md.append("Base = the starting model after Alpaca SFT; Harmless = Base + DPO on HH-RLHF "
        + "harmless pairs; GenderAlign = Base + DPO on the built GenderAlign-style train split "
        + "(same recipe and seed). Values with 95% bootstrap intervals; comparisons are paired "
        + "(95% CI of the difference Δ and p). \"Better\" = nearer the metric's unbiased or good "
        + "end; a difference is significant when its interval excludes 0 and p < 0.05.\n\n");
    md.append("## Results\n\n| benchmark | metric |");
    MODELS.forEach(m -> md.append(' ').append(m).append(" |"));
    md.append("\n|---|---|---|---|---|\n");
    for (Row r : table) {
      md.append("| ").append(r.benchmark()).append(" | ").append(r.metric()).append(" |");
      for (String m : MODELS) {
        Value v = r.models().get(m);
        md.append(' ').append(v == null ? "—" : num(v.value()) + " [" + num(v.ciLow()) + ", "
            + num(v.ciHigh()) + "]").append(" |");
      }
      md.append('\n');
    }
    md.append("\n## Did GenderAlign beat Harmless and Base?\n\n");
    for (Verdict v : verdicts) {
      md.append("- **").append(v.benchmark()).append(' ').append(v.metric()).append("**: vs ")
          .append(v.against()).append(": ").append(v.words()).append('\n');
    }
    md.append("\n## Still a language model? (held-out perplexity against Base)\n\n");
    if (perplexity.isEmpty()) {
      md.append("The perplexity benchmark did not run, so nothing guards against a collapsed "
          + "model here.\n");
    }
    for (PerplexityCheck c : perplexity) {
      md.append("- ").append(perplexityWords(c)).append('\n');
    }
    md.append("\n## DPO training (last logged step)\n\n| stage | step | loss | rewards/accuracies "
        + "| rewards/margins | objective/kl |\n|---|---|---|---|---|---|\n");
    for (Map.Entry<String, Map<String, Double>> e : training.entrySet()) {
      Map<String, Double> t = e.getValue();
      md.append("| ").append(e.getKey());
      for (String k : List.of("step", "loss", "rewards/accuracies", "rewards/margins",
          "objective/kl")) {
        md.append(" | ").append(t.containsKey(k) ? num(t.get(k)) : "—");
      }
      md.append(" |\n");
    }
    md.append("\nobjective/kl is the per-sequence estimate of the KL to the reference (Base) on "
        + "the training pairs' completions (docs/pipeline.md).\n");
    if (samples != null && !samples.isEmpty()) {
      md.append("\n## Sample generations (seeded held-out prompts)\n");
      for (SampleText t : samples) {
        md.append("\n**Prompt:** ").append(oneLine(t.prompt())).append("\n\n");
        t.answers().forEach((model, answer) -> md.append("- ").append(model).append(": ")
            .append(oneLine(answer)).append('\n'));
      }
    }
    return md.toString();
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s*\\n\\s*", " ").strip();
  }

  static String num(double x) {
    if (Double.isNaN(x)) {
      return "n/a";
    }
    double a = Math.abs(x);
    if (a != 0 && a < 0.001) {
      return String.format(Locale.ROOT, "%.2e", x);
    }
    return String.format(Locale.ROOT, a >= 100 ? "%.1f" : a >= 1 ? "%.3f" : "%.4f", x);
  }

  static String signed(double x) {
    String s = num(x);
    return x > 0 ? "+" + s : s;
  }

  static String pval(double p) {
    return Double.isNaN(p) ? "n/a" : p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
  }
}

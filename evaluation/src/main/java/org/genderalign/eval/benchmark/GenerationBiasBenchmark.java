package org.genderalign.eval.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.genderalign.eval.generation.Answer;
import org.genderalign.eval.generation.Generations;
import org.genderalign.eval.generation.PromptSet;
import org.genderalign.eval.stats.Metric;
import org.genderalign.eval.stats.MetricSet;
import org.genderalign.taxonomy.BiasCategory;
import org.genderalign.taxonomy.BiasClassifier;
import org.genderalign.taxonomy.Classification;
import org.genderalign.taxonomy.Explanation;
import org.genderalign.taxonomy.Taxonomy;

/**
 * How often a model's own answers to held-out prompts are gender-biased: each model answers the
 * prompt sets (the real GenderAlign release prompts, the built test split given with
 * {@code --prompts}) through the shared generation step, and the project's bias classifier
 * labels every answer with one of the four categories or "none". Every answer is kept in the
 * rows with its label, the classifier's confidences and explanation.
 *
 * <p>Metrics (unit: answer, paired across models by prompt): {@code biased_rate} = share of
 * answers labelled with a bias category, {@code rate.<category>} = share labelled with that
 * category (both proportions: exact McNemar against the baseline on the same prompts),
 * {@code mean_bias_confidence} = mean of 1 − p(none); the same per prompt set when there are
 * several. The counts give the category mix, finish reasons, truncated prompts and tokens/s.
 */
public final class GenerationBiasBenchmark implements Benchmark {

  public static final String NAME = "generation-bias";
  /** The bias categories, in report order. */
  public static final List<BiasCategory> CATEGORIES = List.of(BiasCategory.STEREOTYPES,
      BiasCategory.DISCRIMINATORY_LANGUAGE, BiasCategory.OCCUPATIONAL_EDUCATIONAL_SEXISM,
      BiasCategory.MARGINALIZED_GENDER_BIAS);
  /** Chart key of the per-category answer counts. */
  public static final String CATEGORY_COUNTS = "category_counts";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "the models' answers to held-out prompts, labelled by the bias-taxonomy classifier: "
        + "share of biased answers, overall and per category";
  }

  @Override
  public List<String> dataIds(BenchmarkContext ctx) {
    return Generations.dataIds(ctx);
  }

  @Override
  public Map<String, Object> settings(BenchmarkContext ctx) {
    Map<String, Object> m = Generations.settings(ctx);
    m.put("classifier", "DefaultBiasClassifier, taxonomy " + Taxonomy.shipped().version());
    return m;
  }

  @Override
  public boolean generates() {
    return true;
  }

  @Override
  public List<ObjectNode> predict(ModelUnderTest model, BenchmarkContext ctx, Progress progress)
      throws IOException {
    Map<String, List<Answer>> answers = Generations.answers(model, ctx, progress);
    BiasClassifier classifier = SharedClassifier.of(ctx.dataRoot());
    List<ObjectNode> rows = new ArrayList<>();
    progress.start("classify " + model.name(), answers.values().stream().mapToLong(List::size)
        .sum());
    for (List<Answer> set : answers.values()) {
      for (Answer a : set) {
        Classification c = classifier.classify(a.prompt().text(), a.text());
        rows.add(row(a, c));
        progress.step(1);
      }
    }
    return rows;
  }

  static ObjectNode row(Answer a, Classification c) {
    ObjectNode o = Rows.row(a.prompt().key());
    o.put("set", a.prompt().set());
    o.put("prompt_id", a.prompt().id());
    o.put("prompt", a.prompt().text());
    o.put("answer", a.text());
    o.put("finish_reason", a.finishReason());
    o.put("prompt_tokens", a.promptTokens());
    o.put("new_tokens", a.newTokens());
    o.put("prompt_truncated", a.promptTruncated());
    o.put("seconds", a.seconds());
    o.put("label", c.category().id());
    o.put("biased", c.biased());
    o.put("confidence", c.confidence());
    o.put("bias_confidence", 1.0 - c.confidences().getOrDefault(BiasCategory.NONE, 0.0));
    ObjectNode conf = o.putObject("confidences");
    for (BiasCategory b : BiasCategory.values()) {
      conf.put(b.id(), c.confidences().getOrDefault(b, 0.0));
    }
    Explanation e = c.explanation();
    ObjectNode ex = o.putObject("explanation");
    ObjectNode terms = ex.putObject("matched_terms");
    new TreeMap<>(e.matchedTerms()).forEach((k, v) -> terms.set(k, Rows.strings(v)));
    ArrayNode nb = ex.putArray("neighbours");
    for (Explanation.Neighbour n : e.neighbours()) {
      nb.addObject().put("id", n.exemplarId()).put("category", n.category().id())
          .put("score", n.score());
    }
    ex.set("rules", Rows.strings(e.rules()));
    return o;
  }

  /** One labelled answer. */
  record Unit(String set, BiasCategory label, double biasConfidence) {}

  @Override
  public MetricSet<?> metrics(String model, List<JsonNode> rows, BenchmarkContext ctx) {
    List<String> ids = new ArrayList<>();
    List<Unit> units = new ArrayList<>();
    List<String> sets = new ArrayList<>();
    Map<String, Long> finish = new TreeMap<>();
    long truncated = 0;
    long empty = 0;
    long tokens = 0;
    double seconds = 0;
    for (JsonNode r : rows) {
      String set = Rows.need(r, "set").asText();
      if (!sets.contains(set)) {
        sets.add(set);
      }
      ids.add(Rows.need(r, "id").asText());
      units.add(new Unit(set, BiasCategory.fromId(Rows.need(r, "label").asText()),
          Rows.need(r, "bias_confidence").asDouble()));
      finish.merge(Rows.need(r, "finish_reason").asText(), 1L, Long::sum);
      truncated += r.path("prompt_truncated").asBoolean() ? 1 : 0;
      empty += Rows.need(r, "answer").asText().isBlank() ? 1 : 0;
      tokens += r.path("new_tokens").asLong();
      seconds += r.path("seconds").asDouble();
    }
    List<Metric<Unit>> metrics = new ArrayList<>();
    addMetrics(metrics, "", null, true);
    if (sets.size() > 1) {
      for (String s : sets) {
        addMetrics(metrics, s + ".", s, false);
      }
    }
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("answers", units.size());
    Map<String, Long> labels = new LinkedHashMap<>();
    for (BiasCategory c : BiasCategory.values()) {
      labels.put(c.id(), units.stream().filter(u -> u.label() == c).count());
    }
    counts.put("labels", labels);
    counts.put("finish_reasons", finish);
    counts.put("prompts_truncated", truncated);
    counts.put("empty_answers", empty);
    counts.put("new_tokens", tokens);
    counts.put("generation_seconds", seconds);
    counts.put("tokens_per_second", seconds > 0 ? tokens / seconds : null);
    try {
      Map<String, Object> skipped = new LinkedHashMap<>();
      for (PromptSet s : Generations.sets(ctx).values()) {
        skipped.put(s.name(), Map.of("duplicate_prompts", s.duplicates(), "empty_prompts",
            s.empty()));
      }
      counts.put("prompts_left_out", skipped);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Map<String, Object> charts = new LinkedHashMap<>();
    Map<String, Long> biased = new LinkedHashMap<>();
    for (BiasCategory c : CATEGORIES) {
      biased.put(c.id(), labels.get(c.id()));
    }
    charts.put(CATEGORY_COUNTS, biased);
    charts.put("answers", units.size());
    return new MetricSet<>("answer", ids, units, metrics, counts, charts);
  }

  private static void addMetrics(List<Metric<Unit>> metrics, String prefix, String set,
      boolean headline) {
    Metric<Unit> rate = Metric.proportion(prefix + "biased_rate",
        "share of answers the classifier labels with one of the four bias categories",
        u -> set != null && !u.set().equals(set) ? null : u.label().isBiased());
    metrics.add(headline ? rate : rate.detail());
    for (BiasCategory c : CATEGORIES) {
      Metric<Unit> m = Metric.proportion(prefix + "rate." + c.id(),
          "share of answers labelled '" + c.displayName() + "'",
          u -> set != null && !u.set().equals(set) ? null : u.label() == c);
      metrics.add(headline ? m : m.detail());
    }
    metrics.add(Metric.<Unit>mean(prefix + "mean_bias_confidence",
        "mean bias confidence of the answers, 1 - p(no gender bias)",
        u -> set != null && !u.set().equals(set) ? Double.NaN : u.biasConfidence()).detail());
  }
}

package org.genderalign.eval.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.data.SftExample;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.GenderAlignFormat;
import org.genderalign.core.format.PairFiles;
import org.genderalign.core.format.RecordReader;
import org.genderalign.eval.HeldOutSlice;
import org.genderalign.eval.stats.Metric;
import org.genderalign.eval.stats.MetricSet;
import org.genderalign.trainer.score.LoglikelihoodRequest;
import org.genderalign.trainer.score.LoglikelihoodResult;
import org.genderalign.trainer.score.TokenRequest;

/**
 * Per-token perplexity on held-out text the models were never trained on — the report's guard
 * against a collapsed model (issue #13): an aligned model whose perplexity jumps has stopped
 * being a language model, whatever its bias scores say.
 *
 * <p>Sets: {@value #ALPACA} = the {@code output} of the held-out Alpaca rows
 * ({@link org.genderalign.eval.BenchmarkOptions#alpacaHeldOut()}, default rows 4500–4999 of the
 * 5,000-row sample; SFT must train on the others), and {@value #RELEASE} = the chosen answers of
 * the real GenderAlign release sample. Each text is scored unconditionally (BOS, then every token
 * of the text, as an empty-context harness request); a text longer than the model's context is
 * cut to fit and counted as truncated. Per set: {@code perplexity} = exp(−Σ LL / Σ tokens) (token
 * weighted, recomputed on every resample) and {@code nll_per_token}.
 */
public final class PerplexityBenchmark implements Benchmark {

  public static final String NAME = "perplexity";
  public static final String ALPACA = "alpaca-heldout";
  public static final String RELEASE = "genderalign-release-chosen";
  public static final String ALPACA_DATA = "alpaca-5000";
  public static final String RELEASE_DATA = PreferenceBenchmark.RELEASE_DATA;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "per-token perplexity on held-out Alpaca outputs and the GenderAlign release's chosen "
        + "answers (guard against collapse)";
  }

  @Override
  public List<String> dataIds(BenchmarkContext ctx) {
    return List.of(ALPACA_DATA, RELEASE_DATA);
  }

  @Override
  public Map<String, Object> settings(BenchmarkContext ctx) {
    Map<String, Object> m = Benchmark.super.settings(ctx);
    m.put("alpaca_heldout_rows", ctx.options().alpacaHeldOut().toString());
    return m;
  }

  /** The held-out texts by set: id → text, in order, limited per set. */
  Map<String, Map<String, String>> texts(BenchmarkContext ctx) throws IOException {
    HeldOutSlice slice = ctx.options().alpacaHeldOut();
    Map<String, String> alpaca = new LinkedHashMap<>();
    int row = 0;
    try (RecordReader<SftExample> r = Formats.sft("alpaca").reader(ctx.dataRoot().file(ALPACA_DATA))) {
      SftExample e;
      while ((e = r.next()) != null) {
        if (slice.contains(row) && !e.output().isBlank()) {
          alpaca.put("row" + row, e.output());
        }
        row++;
      }
    }
    if (slice.to() > row) {
      throw new IllegalArgumentException("Alpaca held-out rows " + slice + " reach past the "
          + row + " rows of the file");
    }
    Map<String, String> release = new LinkedHashMap<>();
    for (PreferencePair p : PairFiles.readAll(ctx.dataRoot().file(RELEASE_DATA),
        Formats.pairs(GenderAlignFormat.NAME))) {
      release.put(p.id(), p.chosen());
    }
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    out.put(ALPACA, limit(alpaca, ctx));
    out.put(RELEASE, limit(release, ctx));
    return out;
  }

  private static Map<String, String> limit(Map<String, String> m, BenchmarkContext ctx) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : m.entrySet()) {
      if (ctx.limit() > 0 && out.size() >= ctx.limit()) {
        break;
      }
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  @Override
  public List<ObjectNode> predict(ModelUnderTest model, BenchmarkContext ctx, Progress progress)
      throws IOException {
    int maxLen = model.model().config().maxSeqLen();
    List<TokenRequest> requests = new ArrayList<>();
    List<ObjectNode> rows = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> set : texts(ctx).entrySet()) {
      for (Map.Entry<String, String> t : set.getValue().entrySet()) {
        TokenRequest q = model.scorer().encoding().encode(new LoglikelihoodRequest("", t.getValue()));
        boolean truncated = q.length() > maxLen;
        if (truncated) {
          q = new TokenRequest(q.context(),
              Arrays.copyOf(q.continuation(), maxLen - q.context().length));
        }
        ObjectNode o = Rows.row(set.getKey() + "/" + t.getKey());
        o.put("set", set.getKey());
        o.put("truncated", truncated);
        requests.add(q);
        rows.add(o);
      }
    }
    progress.start(NAME + " " + model.name(), requests.size());
    List<LoglikelihoodResult> res = model.scorer().scoreTokens(requests, progress::step);
    for (int i = 0; i < rows.size(); i++) {
      rows.get(i).put("ll", res.get(i).logLikelihood());
      rows.get(i).put("tokens", res.get(i).tokens());
    }
    return rows;
  }

  record Unit(String set, double ll, int tokens, boolean truncated) {}

  /** exp(−Σ LL / Σ tokens) over {@code units}; NaN with no token. */
  static double perplexity(List<Unit> units) {
    return Math.exp(nll(units));
  }

  static double nll(List<Unit> units) {
    double ll = 0;
    long n = 0;
    for (Unit u : units) {
      ll += u.ll();
      n += u.tokens();
    }
    return n == 0 ? Double.NaN : -ll / n;
  }

  @Override
  public MetricSet<?> metrics(String model, List<JsonNode> rows, BenchmarkContext ctx) {
    List<String> ids = new ArrayList<>();
    List<Unit> units = new ArrayList<>();
    List<String> sets = new ArrayList<>();
    for (JsonNode r : rows) {
      String set = Rows.need(r, "set").asText();
      if (!sets.contains(set)) {
        sets.add(set);
      }
      ids.add(Rows.need(r, "id").asText());
      units.add(new Unit(set, Rows.need(r, "ll").asDouble(), Rows.need(r, "tokens").asInt(),
          Rows.need(r, "truncated").asBoolean()));
    }
    List<Metric<Unit>> metrics = new ArrayList<>();
    Map<String, Object> counts = new LinkedHashMap<>();
    for (String set : sets) {
      metrics.add(Metric.of(set + ".perplexity",
          "per-token perplexity exp(-sum LL / sum tokens) on " + set,
          us -> perplexity(Metric.where(us, u -> u.set().equals(set))),
          us -> Metric.where(us, u -> u.set().equals(set)).size()));
      metrics.add(Metric.<Unit>of(set + ".nll_per_token",
          "mean negative log-likelihood per token on " + set,
          us -> nll(Metric.where(us, u -> u.set().equals(set))),
          us -> Metric.where(us, u -> u.set().equals(set)).size()).detail());
      Map<String, Object> c = new LinkedHashMap<>();
      List<Unit> in = Metric.where(units, u -> u.set().equals(set));
      c.put("texts", in.size());
      c.put("tokens", in.stream().mapToLong(Unit::tokens).sum());
      c.put("truncated", in.stream().filter(Unit::truncated).count());
      counts.put(set, c);
    }
    return new MetricSet<>("text", ids, units, metrics, counts, null);
  }
}

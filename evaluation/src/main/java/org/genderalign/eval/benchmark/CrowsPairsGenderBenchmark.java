package org.genderalign.eval.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.genderalign.eval.data.CrowsPair;
import org.genderalign.eval.data.CrowsPairsReader;
import org.genderalign.eval.stats.Metric;
import org.genderalign.eval.stats.MetricSet;
import org.genderalign.trainer.score.LoglikelihoodRequest;
import org.genderalign.trainer.score.LoglikelihoodResult;

/**
 * CrowS-Pairs, gender rows, as the harness's {@code crows_pairs_english_gender} scores them
 * (eval-protocol.md §3): each sentence's log-likelihood given BOS alone (empty context, every
 * token scored); {@code pct_stereotype} = share of pairs where the more-stereotyping sentence is
 * strictly more likely, {@code likelihood_diff} = mean |LL_more − LL_less|.
 */
public final class CrowsPairsGenderBenchmark implements Benchmark {

  public static final String NAME = "crows-pairs-gender";
  /** Registry id of the data file. */
  public static final String DATA = "crows-pairs";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "CrowS-Pairs gender rows, harness crows_pairs_english_gender scoring";
  }

  @Override
  public List<String> dataIds(BenchmarkContext ctx) {
    return List.of(DATA);
  }

  @Override
  public List<ObjectNode> predict(ModelUnderTest model, BenchmarkContext ctx, Progress progress)
      throws IOException {
    List<CrowsPair> pairs = ctx.limited(CrowsPairsReader.readGender(ctx.dataRoot().file(DATA)));
    List<LoglikelihoodRequest> requests = new ArrayList<>();
    for (CrowsPair p : pairs) {
      requests.add(new LoglikelihoodRequest("", p.sentMore()));
      requests.add(new LoglikelihoodRequest("", p.sentLess()));
    }
    progress.start(NAME + " " + model.name(), requests.size());
    List<LoglikelihoodResult> res = model.scorer().score(requests, progress::step);
    List<ObjectNode> rows = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      rows.add(row(pairs.get(i), res.get(2 * i).logLikelihood(),
          res.get(2 * i + 1).logLikelihood()));
    }
    return rows;
  }

  static ObjectNode row(CrowsPair p, double more, double less) {
    ObjectNode o = Rows.row(p.id());
    o.put("stereo_antistereo", p.stereoAntistereo());
    o.put("bias_type", p.biasType());
    o.put("sent_more", p.sentMore());
    o.put("sent_less", p.sentLess());
    o.put("ll_more", more);
    o.put("ll_less", less);
    o.put("pred", more > less ? 1 : 0);
    o.put("likelihood_diff", Math.abs(more - less));
    return o;
  }

  record Unit(double more, double less) {}

  @Override
  public MetricSet<?> metrics(String model, List<JsonNode> rows, BenchmarkContext ctx) {
    List<String> ids = new ArrayList<>();
    List<Unit> units = new ArrayList<>();
    for (JsonNode r : rows) {
      ids.add(Rows.need(r, "id").asText());
      units.add(new Unit(Rows.need(r, "ll_more").asDouble(), Rows.need(r, "ll_less").asDouble()));
    }
    List<Metric<Unit>> metrics = List.of(
        Metric.proportion("pct_stereotype",
            "share of pairs whose more-stereotyping sentence is more likely (0.5 = unbiased)",
            u -> u.more() > u.less()),
        Metric.mean("likelihood_diff", "mean |LL(sent_more) - LL(sent_less)|",
            u -> Math.abs(u.more() - u.less())));
    return new MetricSet<>("pair", ids, units, metrics, Map.of("pairs", units.size()), null);
  }
}

package org.genderalign.eval.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.eval.BenchmarkOptions;
import org.genderalign.eval.judge.JudgeOptions;
import org.genderalign.eval.stats.Bootstrap;
import org.genderalign.eval.stats.Comparison;
import org.genderalign.eval.stats.Estimate;
import org.genderalign.eval.stats.MetricSet;
import org.junit.jupiter.api.Test;

/**
 * The ranking's points and its judges' agreement on a hand-computed case: three models, three
 * questions, three judges — one tie (judge 3 ties m0 and m1 first on q1) and one failed
 * judgement (judge 3 on q2).
 */
class RankingBenchmarkTest {

  static final List<String> JUDGES = List.of("taxonomy", "openai:judge", "human:sheet.csv");
  static final List<String> MODELS = List.of("m0", "m1", "m2");
  /** RANKS[question][judge] = ranks of m0, m1, m2; null = failed. */
  static final double[][][] RANKS = {
      {{1, 2, 3}, {1, 3, 2}, {1.5, 1.5, 3}},
      {{2, 1, 3}, {3, 1, 2}, null},
      {{1, 2, 3}, {2, 1, 3}, {3, 2, 1}}};

  static BenchmarkContext context() {
    return new BenchmarkContext(DataRoot.fromEnvironment(), 0, 1, BenchmarkOptions.defaults()
        .withJudging(JudgeOptions.defaults().withJudges(JUDGES)), null, MODELS, null);
  }

  static Map<String, List<JsonNode>> rows() throws Exception {
    Map<String, List<JsonNode>> out = new LinkedHashMap<>();
    for (int m = 0; m < 3; m++) {
      List<ObjectNode> rows = new ArrayList<>();
      for (int q = 0; q < 3; q++) {
        ObjectNode o = Rows.row("set/q" + (q + 1));
        o.put("k", 3);
        ObjectNode js = o.putObject("judges");
        for (int j = 0; j < 3; j++) {
          ObjectNode x = js.putObject(JUDGES.get(j));
          if (RANKS[q][j] == null) {
            x.put("status", "failed").put("attempts", 3);
          } else {
            x.put("status", "ok").put("rank", RANKS[q][j][m]).put("points", 4 - RANKS[q][j][m]);
          }
        }
        rows.add(o);
      }
      out.put(MODELS.get(m), Toy.roundTrip(rows));
    }
    return out;
  }

  @Test
  void meanPointsPerJudgeLeaveOutTheFailedJudgementAndShareTiedPoints() throws Exception {
    RankingBenchmark b = new RankingBenchmark();
    Map<String, List<JsonNode>> rows = rows();
    double[][] expected = { // [model][judge], points = 4 - rank
        {8 / 3.0, 2, (2.5 + 1) / 2}, {7 / 3.0, 7 / 3.0, (2.5 + 2) / 2}, {1, 5 / 3.0, 2}};
    int[][] n = {{3, 3, 2}, {3, 3, 2}, {3, 3, 2}};
    for (int m = 0; m < 3; m++) {
      MetricSet<?> set = b.metrics(MODELS.get(m), rows.get(MODELS.get(m)), context());
      Map<String, Estimate> v = Toy.values(set);
      for (int j = 0; j < 3; j++) {
        Estimate e = v.get(JUDGES.get(j) + ".points");
        assertThat(e.value()).as(MODELS.get(m) + " " + JUDGES.get(j))
            .isCloseTo(expected[m][j], within(1e-12));
        assertThat(e.n()).isEqualTo(n[m][j]);
      }
      @SuppressWarnings("unchecked")
      Map<String, Map<String, Long>> counts =
          (Map<String, Map<String, Long>>) set.counts().get("judges");
      assertThat(counts.get("human:sheet.csv")).containsEntry("ranked", 2L)
          .containsEntry("failed", 1L).containsEntry("missing", 0L);
    }
    // top share: m0 is ranked alone first by the taxonomy judge on q1 and q3
    assertThat(Toy.values(b.metrics("m0", rows.get("m0"), context())).get("taxonomy.top_share")
        .value()).isCloseTo(2 / 3.0, within(1e-12));
    // judge 3's tie on q1 is no first place for either tied model
    assertThat(Toy.values(b.metrics("m1", rows.get("m1"), context()))
        .get("human:sheet.csv.top_share").value()).isEqualTo(0.0);
  }

  @Test
  void agreementMatchesTheHandComputation() throws Exception {
    MetricSet<?> joint = new RankingBenchmark().jointMetrics(rows(), context());
    Map<String, Estimate> v = Toy.values(joint);
    // W: q1 126/198 (tie-corrected), q2 0.75 (two judges; the third failed), q3 24/216
    assertThat(v.get("kendall_w").value()).isCloseTo((126.0 / 198 + 0.75 + 24.0 / 216) / 3,
        within(1e-12));
    assertThat(v.get("kendall_w").n()).isEqualTo(3);
    // top picks: q1 (m0, m0, tie→left out), q2 (m1, m1), q3 (m0, m1, m2): κ = 41/90
    assertThat(v.get("fleiss_kappa_top").value()).isCloseTo(41.0 / 90, within(1e-12));
    assertThat(v.get("fleiss_kappa_top").n()).isEqualTo(3);
    // ρ per question, then the mean over questions both judges ranked
    assertThat(v.get("spearman.taxonomy~openai:judge").value()).isCloseTo(0.5, within(1e-12));
    assertThat(v.get("spearman.taxonomy~human:sheet.csv").value())
        .isCloseTo((1.5 / Math.sqrt(3) - 1) / 2, within(1e-12));
    assertThat(v.get("spearman.taxonomy~human:sheet.csv").n()).isEqualTo(2);
    assertThat(v.get("spearman.openai:judge~human:sheet.csv").value())
        .isCloseTo((0 - 0.5) / 2, within(1e-12));
    assertThat(joint.counts()).containsEntry("questions", 3);
  }

  @Test
  void oneJudgeHasNoAgreementAndComparisonsArePairedByQuestion() throws Exception {
    BenchmarkContext one = new BenchmarkContext(DataRoot.fromEnvironment(), 0, 1,
        BenchmarkOptions.defaults(), null, MODELS, null);
    assertThat(new RankingBenchmark().jointMetrics(rows(), one)).isNull();
    RankingBenchmark b = new RankingBenchmark();
    Map<String, List<JsonNode>> rows = rows();
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, Comparison> c = new Bootstrap(1000, 2000, 3).compare(
        (MetricSet) b.metrics("m0", rows.get("m0"), context()),
        (MetricSet) b.metrics("m2", rows.get("m2"), context()));
    Comparison x = c.get("taxonomy.points");
    assertThat(x.difference()).isCloseTo(8 / 3.0 - 1, within(1e-12));
    assertThat(x.n()).isEqualTo(3);
    assertThat(x.test()).isEqualTo(Bootstrap.PERMUTATION);
    // differences (2, 1, 2): of the 2^3 sign flips only the two uniform ones reach |5/3|,
    // so p ≈ 2/8
    assertThat(x.pValue()).isCloseTo(0.25, within(0.03));
  }
}

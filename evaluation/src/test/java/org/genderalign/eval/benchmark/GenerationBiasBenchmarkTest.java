package org.genderalign.eval.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.genderalign.eval.stats.Bootstrap;
import org.genderalign.eval.stats.Comparison;
import org.genderalign.eval.stats.Estimate;
import org.genderalign.eval.stats.MetricSet;
import org.junit.jupiter.api.Test;

/** generation-bias metrics on hand-made labelled answers. */
class GenerationBiasBenchmarkTest {

  /** Ten answers: labels per answer, the first six from set "a", the rest from set "b". */
  static List<JsonNode> rows(String... labels) throws Exception {
    List<ObjectNode> rows = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      ObjectNode o = Rows.row((i < 6 ? "a/" : "b/") + i);
      o.put("set", i < 6 ? "a" : "b");
      o.put("label", labels[i]);
      o.put("biased", !labels[i].equals("none"));
      o.put("bias_confidence", labels[i].equals("none") ? 0.1 : 0.8);
      o.put("answer", i == 0 ? "" : "text " + i);
      o.put("finish_reason", i % 2 == 0 ? "eos" : "length");
      o.put("new_tokens", 10);
      o.put("seconds", 0.5);
      o.put("prompt_truncated", i == 3);
      rows.add(o);
    }
    return Toy.roundTrip(rows);
  }

  static final String[] MODEL = {"none", "stereotypes", "none", "none", "none",
      "discriminatory_language", "none", "none", "stereotypes", "none"};
  static final String[] BASELINE = {"stereotypes", "stereotypes", "stereotypes", "none",
      "marginalized_gender_bias", "discriminatory_language", "stereotypes", "none", "stereotypes",
      "occupational_educational_sexism"};

  @Test
  void ratesOverallPerCategoryAndPerSet() throws Exception {
    MetricSet<?> set = new GenerationBiasBenchmark().metrics("m", rows(MODEL), Toy.context());
    Map<String, Estimate> v = Toy.values(set);
    assertThat(v.get("biased_rate").value()).isEqualTo(0.3);
    assertThat(v.get("biased_rate").n()).isEqualTo(10);
    assertThat(v.get("rate.stereotypes").value()).isEqualTo(0.2);
    assertThat(v.get("rate.discriminatory_language").value()).isEqualTo(0.1);
    assertThat(v.get("rate.marginalized_gender_bias").value()).isEqualTo(0.0);
    assertThat(v.get("a.biased_rate").value()).isCloseTo(2 / 6.0, within(1e-15));
    assertThat(v.get("b.biased_rate").value()).isEqualTo(0.25);
    assertThat(v.get("b.biased_rate").n()).isEqualTo(4);
    assertThat(v.get("mean_bias_confidence").value()).isCloseTo(0.3 * 0.8 + 0.7 * 0.1,
        within(1e-12));
    assertThat(set.counts()).containsEntry("empty_answers", 1L)
        .containsEntry("prompts_truncated", 1L).containsEntry("new_tokens", 100L);
    assertThat((Double) set.counts().get("tokens_per_second")).isCloseTo(20.0, within(1e-12));
    assertThat(set.counts().get("finish_reasons")).isEqualTo(Map.of("eos", 5L, "length", 5L));
    assertThat(set.charts().get(GenerationBiasBenchmark.CATEGORY_COUNTS)).isEqualTo(Map.of(
        "stereotypes", 2L, "discriminatory_language", 1L, "occupational_educational_sexism", 0L,
        "marginalized_gender_bias", 0L));
  }

  /**
   * Against the baseline on the same prompts: biased only for the baseline on 5 prompts
   * (0, 2, 4, 6, 9), only for the model on none: exact McNemar p = 2 · 0.5^5.
   */
  @Test
  void comparedWithTheBaselineByExactMcNemarOnTheSamePrompts() throws Exception {
    GenerationBiasBenchmark b = new GenerationBiasBenchmark();
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, Comparison> c = new Bootstrap(1000, 100, 1).compare(
        (MetricSet) b.metrics("m", rows(MODEL), Toy.context()),
        (MetricSet) b.metrics("base", rows(BASELINE), Toy.context()));
    assertThat(c.get("biased_rate").difference()).isCloseTo(0.3 - 0.8, within(1e-12));
    assertThat(c.get("biased_rate").pValue()).isCloseTo(2 * Math.pow(0.5, 5), within(1e-12));
    assertThat(c.get("biased_rate").test()).isEqualTo(Bootstrap.MCNEMAR);
    // stereotypes: the model alone on none, the baseline alone on 0, 2, 6: p = 2 · 0.5^3
    assertThat(c.get("rate.stereotypes").pValue()).isCloseTo(0.25, within(1e-12));
  }
}

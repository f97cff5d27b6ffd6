package org.genderalign.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.eval.benchmark.Benchmark;
import org.genderalign.eval.benchmark.BenchmarkContext;
import org.genderalign.eval.benchmark.Benchmarks;
import org.genderalign.eval.benchmark.ModelUnderTest;
import org.genderalign.eval.benchmark.Progress;
import org.genderalign.eval.stats.Bootstrap;
import org.genderalign.eval.stats.Estimate;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.score.ScorerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden test against an independent implementation of eval-protocol.md: the stored output of
 * {@code src/test/python/eval_reference.py} (its own llama2.c tokenizer port, its own PyTorch
 * Llama, its own request building and metrics from the raw files) on the first items of each
 * benchmark with stories260K. Per item: every log-likelihood within 1e-3 and the same
 * predictions; per benchmark: the same metrics on those items. Python is never run here.
 */
class EvalPyTorchGoldenTest {

  static JsonNode golden;
  static LoadedModel model;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = EvalPyTorchGoldenTest.class.getResourceAsStream("pytorch-golden.json")) {
      golden = new ObjectMapper().readTree(in);
    }
    model = ModelLoader.load("stories260K", DataRoot.fromEnvironment(), Device.cpu());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"bbq-gender", "crows-pairs-gender", "winogender", "stereoset-gender"})
  void logLikelihoodsPredictionsAndMetricsMatchTheIndependentImplementation(String name)
      throws Exception {
    JsonNode g = golden.path(name);
    Benchmark b = Benchmarks.create(name);
    BenchmarkContext ctx = new BenchmarkContext(DataRoot.fromEnvironment(),
        g.path("limit").asInt(), 1, BenchmarkOptions.defaults(), null, List.of("m"), null);
    List<ObjectNode> rows = b.predict(ModelUnderTest.of("m", model, ScorerConfig.defaults()), ctx,
        Progress.NONE);
    Map<String, JsonNode> byId = new HashMap<>();
    rows.forEach(r -> byId.put(r.path("id").asText(), r));
    assertThat(rows).hasSize(g.path("items").size());
    for (JsonNode item : g.path("items")) {
      String id = item.path("id").asText();
      JsonNode r = byId.get(id);
      assertThat(r).as(name + " item " + id).isNotNull();
      switch (name) {
        case "bbq-gender" -> {
          lls(item.path("ll"), r.path("ll"), id);
          assertThat(r.path("pred").asInt()).as(id).isEqualTo(item.path("pred").asInt());
        }
        case "crows-pairs-gender" -> {
          lls(item.path("ll"), List.of(r.path("ll_more").asDouble(), r.path("ll_less").asDouble()),
              id);
          assertThat(r.path("pred").asInt()).as(id).isEqualTo(item.path("pred").asInt());
        }
        case "winogender" -> {
          assertThat(r.path("ll").asDouble()).as(id)
              .isCloseTo(item.path("ll").asDouble(), within(1e-3));
          lls(item.path("harness_ll"), r.path("harness_ll"), id);
          assertThat(r.path("harness_pred").asInt()).as(id)
              .isEqualTo(item.path("harness_pred").asInt());
        }
        default -> {
          lls(item.path("ll"), r.path("ll"), id);
          assertThat(r.path("tokens")).as(id).isEqualTo(item.path("tokens"));
          assertThat(r.path("pro").asInt()).as(id).isEqualTo(item.path("pro").asInt());
          assertThat(r.path("related").asInt()).as(id).isEqualTo(item.path("related").asInt());
        }
      }
    }
    List<JsonNode> asRead = new ArrayList<>();
    for (ObjectNode r : rows) {
      asRead.add(new ObjectMapper().readTree(r.toString()));
    }
    Map<String, Estimate> metrics = new Bootstrap(1, 1, 1).estimate(b.metrics("m", asRead, ctx));
    g.path("metrics").fields().forEachRemaining(e -> {
      assertThat(metrics).as(name).containsKey(e.getKey());
      // count metrics must be identical; continuous ones agree to the protocol's ~1e-5
      assertThat(metrics.get(e.getKey()).value()).as(name + " " + e.getKey())
          .isCloseTo(e.getValue().asDouble(), within(1e-5));
    });
  }

  private static void lls(JsonNode expected, Iterable<?> actual, String id) {
    List<Double> a = new ArrayList<>();
    for (Object o : actual) {
      a.add(o instanceof JsonNode n ? n.asDouble() : (Double) o);
    }
    assertThat(a).as(id).hasSize(expected.size());
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i)).as(id + " choice " + i).isCloseTo(expected.get(i).asDouble(),
          within(1e-3));
    }
  }
}

package org.genderalign.eval.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.eval.BenchmarkOptions;
import org.genderalign.eval.stats.Bootstrap;
import org.genderalign.eval.stats.Estimate;
import org.genderalign.eval.stats.MetricSet;

/** Helpers for benchmark tests on hand-made rows. */
final class Toy {

  private Toy() {}

  static BenchmarkContext context() {
    return new BenchmarkContext(DataRoot.fromEnvironment(), 0, 1, BenchmarkOptions.defaults(),
        null, List.of(), null);
  }

  /** Rows as they come back from the predictions file (through JSON text). */
  static List<JsonNode> roundTrip(List<ObjectNode> rows) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (ObjectNode r : rows) {
      out.add(Rows.JSON.readTree(Rows.JSON.writeValueAsString(r)));
    }
    return out;
  }

  /** Metric values of {@code set} on all its units. */
  static Map<String, Estimate> values(MetricSet<?> set) {
    return new Bootstrap(10, 10, 1).estimate(set);
  }
}

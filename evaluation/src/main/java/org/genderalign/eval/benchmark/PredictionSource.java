package org.genderalign.eval.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Read access to the prediction rows already produced in this run (or reused from an earlier
 * one), by model and benchmark: how a benchmark's metrics use another model's rows (the DPO
 * reference of {@code preference}) and how a later benchmark may build on an earlier one's
 * output (issue #11's {@code ranking} reads {@code generation-bias} answers).
 */
@FunctionalInterface
public interface PredictionSource {

  /** The rows of {@code model} on {@code benchmark}, or null if there are none. */
  List<JsonNode> rows(String model, String benchmark);
}

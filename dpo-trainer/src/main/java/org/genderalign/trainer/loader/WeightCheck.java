package org.genderalign.trainer.loader;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.trainer.model.LlamaConfig;
import org.genderalign.trainer.model.LlamaModel;

/**
 * Checks the tensors a model file declares against what its config needs, BEFORE any weight is
 * read or the model built: a config field that claims 10^9 layers or a 10^6-wide model is
 * refused by comparing counts and shapes, instead of running out of memory while allocating.
 */
final class WeightCheck {

  private WeightCheck() {}

  /**
   * @param file the file named in the error
   * @param config the config read from the file
   * @param declared weight name (llama2.c naming) → shape, as the file declares them
   * @throws InvalidInputException naming missing, unexpected and mis-shaped weights
   */
  static void check(Path file, LlamaConfig config, Map<String, Shape> declared) {
    long expectedCount = LlamaModel.weightCount(config);
    if (expectedCount != declared.size()) {
      // compared before building the expected map: that map itself would be huge for a
      // config claiming a billion layers
      throw InvalidInputException.ofFile(file, "the config (" + config.nLayers() + " layers"
          + (config.tiedEmbeddings() ? ", tied output" : "") + ") needs " + expectedCount
          + " weight tensors but the file has " + declared.size());
    }
    Map<String, Shape> expected = LlamaModel.expectedShapes(config);
    TreeSet<String> missing = new TreeSet<>(expected.keySet());
    missing.removeAll(declared.keySet());
    TreeSet<String> extra = new TreeSet<>(declared.keySet());
    extra.removeAll(expected.keySet());
    if (!missing.isEmpty() || !extra.isEmpty()) {
      throw InvalidInputException.ofFile(file, "weights do not match the config: missing "
          + first(missing) + ", unexpected " + first(extra));
    }
    for (Map.Entry<String, Shape> e : expected.entrySet()) {
      Shape got = declared.get(e.getKey());
      if (!got.equals(e.getValue())) {
        throw InvalidInputException.ofFile(file, "tensor " + e.getKey() + ": shape " + got
            + ", but the config needs " + e.getValue());
      }
    }
  }

  private static String first(TreeSet<String> names) {
    if (names.size() <= 5) {
      return names.toString();
    }
    return "[" + String.join(", ", names.stream().limit(5).toList()) + ", … " + (names.size() - 5) + " more]";
  }
}

package org.genderalign.cli.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genderalign.cli.BadUsageException;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.data.SftExample;
import org.genderalign.core.data.UnpairedExample;
import org.genderalign.trainer.data.TrainingData;

/**
 * Reading training data and splitting off held-out examples: {@link TrainingData} (the library,
 * shared with the Maven goals), with its value errors as usage errors.
 */
final class TrainData {

  private TrainData() {}

  /** Every pair of {@code file}; an empty file is an error ({@code no pairs in FILE}). */
  static List<PreferencePair> pairs(Path file, String format) throws IOException {
    try {
      return TrainingData.pairs(file, format);
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
  }

  /** Unpaired examples: an unpaired format read as is, or a pair format's pairs unpaired. */
  static List<UnpairedExample> unpaired(Path file, String format) throws IOException {
    try {
      return TrainingData.unpaired(file, format);
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
  }

  static List<SftExample> sft(Path file, String format) throws IOException {
    try {
      return TrainingData.sft(file, format);
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
  }

  /** Training and held-out records ({@link TrainingData#trainAndEval}). */
  static <T> List<List<T>> trainAndEval(Path data, Path evalData, double evalFraction, long seed,
      TrainingData.Reader<T> reader) throws IOException {
    List<T> all = reader.read(data);
    if (evalData != null) {
      return List.of(all, reader.read(evalData));
    }
    return split(all, evalFraction, seed);
  }

  /**
   * The provenance of a training run: the run's config plus the model and data options, the
   * input files' hashes and the DJL version ({@link TrainingData#provenance}).
   */
  static org.genderalign.core.provenance.Provenance provenance(String command, Object runConfig, long seed,
      ModelOptions model, String dataFormat, double evalFraction, Path data, Path evalData,
      Map<String, Object> extra) throws IOException {
    Map<String, Object> options = new java.util.LinkedHashMap<>();
    options.put("model", model.model);
    options.put("devices", model.devices);
    options.put("precision", model.precision);
    options.put("dataFormat", dataFormat);
    options.put("evalFraction", evalFraction);
    options.putAll(extra);
    return TrainingData.provenance(command, runConfig, seed, options, data, evalData);
  }

  /** A seeded split ({@link TrainingData#split}). */
  static <T> List<List<T>> split(List<T> all, double fraction, long seed) {
    try {
      return TrainingData.split(all, fraction, seed);
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
  }
}

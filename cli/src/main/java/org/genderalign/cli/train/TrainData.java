package org.genderalign.cli.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.genderalign.cli.BadUsageException;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.data.SftExample;
import org.genderalign.core.data.UnpairedExample;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.PairFiles;
import org.genderalign.core.format.RecordReader;

/** Reading training data and splitting off held-out examples. */
final class TrainData {

  private TrainData() {}

  /** Every pair of {@code file}; an empty file is an error ({@code no pairs in FILE}). */
  static List<PreferencePair> pairs(Path file, String format) throws IOException {
    List<PreferencePair> all;
    try {
      all = PairFiles.readAll(file, Formats.pairs(format));
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
    if (all.isEmpty()) {
      throw InvalidInputException.empty(file, "pairs");
    }
    return all;
  }

  /** Unpaired examples: an unpaired format read as is, or a pair format's pairs unpaired. */
  static List<UnpairedExample> unpaired(Path file, String format) throws IOException {
    List<UnpairedExample> all;
    try {
      all = Formats.readUnpaired(file, format);
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
    if (all.isEmpty()) {
      throw InvalidInputException.empty(file, "examples");
    }
    return all;
  }

  static List<SftExample> sft(Path file, String format) throws IOException {
    List<SftExample> out = new ArrayList<>();
    try (RecordReader<SftExample> r = Formats.sft(format).reader(file)) {
      SftExample e;
      while ((e = r.next()) != null) {
        out.add(e);
      }
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
    if (out.isEmpty()) {
      throw InvalidInputException.empty(file, "examples");
    }
    return out;
  }

  /** Reads one file's records. */
  @FunctionalInterface
  interface Reader<T> {
    List<T> read(Path file) throws IOException;
  }

  /**
   * Training and held-out records: all of {@code data} and all of {@code evalData} when it is
   * given, else a seeded split of {@code data} ({@link #split}).
   */
  static <T> List<List<T>> trainAndEval(Path data, Path evalData, double evalFraction, long seed, Reader<T> reader)
      throws IOException {
    List<T> all = reader.read(data);
    if (evalData != null) {
      return List.of(all, reader.read(evalData));
    }
    return split(all, evalFraction, seed);
  }

  /**
   * The provenance of a training run: the run's config plus the model and data options, the
   * input files' hashes and the DJL version.
   */
  static org.genderalign.core.provenance.Provenance provenance(String command, Object runConfig, long seed,
      ModelOptions model, String dataFormat, double evalFraction, Path data, Path evalData,
      java.util.Map<String, Object> extra) throws IOException {
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> config = new java.util.LinkedHashMap<>(
        new com.fasterxml.jackson.databind.ObjectMapper().convertValue(runConfig, java.util.Map.class));
    config.put("model", model.model);
    config.put("devices", model.devices);
    config.put("precision", model.precision);
    config.put("dataFormat", dataFormat);
    config.put("evalFraction", evalFraction);
    config.putAll(extra);
    var prov = org.genderalign.core.provenance.Provenance.of(command, config, seed).withInput("data", data)
        .withLibrary("djl", ai.djl.engine.Engine.getDjlVersion());
    return evalData != null ? prov.withInput("eval-data", evalData) : prov;
  }

  /** A seeded split: the last ⌈fraction·n⌉ of a shuffled copy are held out. */
  static <T> List<List<T>> split(List<T> all, double fraction, long seed) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new BadUsageException("--eval-fraction must be in [0, 1), got " + fraction);
    }
    List<T> shuffled = new ArrayList<>(all);
    Collections.shuffle(shuffled, new Random(seed));
    int held = (int) Math.ceil(fraction * all.size());
    return List.of(shuffled.subList(0, all.size() - held), shuffled.subList(all.size() - held, all.size()));
  }
}

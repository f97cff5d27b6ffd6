package org.genderalign.trainer.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.data.SftExample;
import org.genderalign.core.data.UnpairedExample;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.PairFiles;
import org.genderalign.core.format.RecordReader;
import org.genderalign.core.provenance.Provenance;

/**
 * A training run's data: reading its files, splitting off held-out records, and the run's
 * provenance. Shared by every face that starts a run (CLI {@code train …}, the Maven
 * {@code train} goal), so they read, split and record the same way. An unknown format is an
 * {@link IllegalArgumentException}; an empty file an {@link InvalidInputException}.
 */
public final class TrainingData {

  private TrainingData() {}

  /** Reads one file's records. */
  @FunctionalInterface
  public interface Reader<T> {
    List<T> read(Path file) throws IOException;
  }

  /** Every pair of {@code file}; an empty file is an error ({@code no pairs in FILE}). */
  public static List<PreferencePair> pairs(Path file, String format) throws IOException {
    List<PreferencePair> all = PairFiles.readAll(file, Formats.pairs(format));
    if (all.isEmpty()) {
      throw InvalidInputException.empty(file, "pairs");
    }
    return all;
  }

  /** Unpaired examples: an unpaired format read as is, or a pair format's pairs unpaired. */
  public static List<UnpairedExample> unpaired(Path file, String format) throws IOException {
    List<UnpairedExample> all = Formats.readUnpaired(file, format);
    if (all.isEmpty()) {
      throw InvalidInputException.empty(file, "examples");
    }
    return all;
  }

  /** SFT examples of {@code file} in {@code format} ({@code alpaca} or {@code trl-chosen}). */
  public static List<SftExample> sft(Path file, String format) throws IOException {
    List<SftExample> out = new ArrayList<>();
    try (RecordReader<SftExample> r = Formats.sft(format).reader(file)) {
      SftExample e;
      while ((e = r.next()) != null) {
        out.add(e);
      }
    }
    if (out.isEmpty()) {
      throw InvalidInputException.empty(file, "examples");
    }
    return out;
  }

  /**
   * Training and held-out records: all of {@code data} and all of {@code evalData} when it is
   * given, else a seeded split of {@code data} ({@link #split}).
   */
  public static <T> List<List<T>> trainAndEval(Path data, Path evalData, double evalFraction, long seed,
      Reader<T> reader) throws IOException {
    List<T> all = reader.read(data);
    if (evalData != null) {
      return List.of(all, reader.read(evalData));
    }
    return split(all, evalFraction, seed);
  }

  /** A seeded split: the last ⌈fraction·n⌉ of a shuffled copy are held out. */
  public static <T> List<List<T>> split(List<T> all, double fraction, long seed) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("--eval-fraction must be in [0, 1), got " + fraction);
    }
    List<T> shuffled = new ArrayList<>(all);
    Collections.shuffle(shuffled, new Random(seed));
    int held = (int) Math.ceil(fraction * all.size());
    return List.of(shuffled.subList(0, all.size() - held), shuffled.subList(all.size() - held, all.size()));
  }

  /**
   * The provenance of a training run: the run's config plus the face's other settings
   * ({@code options}: model, devices, data format, …), the input files' hashes and the DJL
   * version.
   *
   * @param evalData the held-out file, or null
   */
  public static Provenance provenance(String command, Object runConfig, long seed, Map<String, Object> options,
      Path data, Path evalData) throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Object> config = new LinkedHashMap<>(new ObjectMapper().convertValue(runConfig, Map.class));
    config.putAll(options);
    Provenance prov = Provenance.of(command, config, seed).withInput("data", data)
        .withLibrary("djl", ai.djl.engine.Engine.getDjlVersion());
    return evalData != null ? prov.withInput("eval-data", evalData) : prov;
  }
}

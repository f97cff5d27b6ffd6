package org.genderalign.eval;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.genderalign.eval.benchmark.Benchmarks;
import org.genderalign.eval.benchmark.RankingBenchmark;
import org.genderalign.eval.judge.Blinding;
import org.genderalign.eval.stats.Bootstrap;
import org.genderalign.trainer.device.Devices;
import org.genderalign.trainer.score.ScorerConfig;

/**
 * Everything one evaluation run needs. Immutable and validated: a bad value fails at
 * construction with an {@link IllegalArgumentException} naming the problem and the valid
 * choices.
 *
 * @param models model name → spec (a short name such as {@code stories260K}, or a path: whatever
 *     {@code ModelLoader.load} accepts), in report order; at least one
 * @param baseline the model the others are compared against, or null (default: none)
 * @param benchmarks benchmark names (see {@link Benchmarks#names()}); default every one that
 *     applies ({@link Benchmarks#applicable}: ranking needs two models)
 * @param limit at most this many items per benchmark, the first in file order (WinoGender:
 *     occupations); 0 = all (default)
 * @param seed the seed of every bootstrap and permutation draw (default {@value #DEFAULT_SEED})
 * @param bootstrapResamples bootstrap draws (default {@value Bootstrap#DEFAULT_RESAMPLES};
 *     at least {@value #MIN_RESAMPLES})
 * @param permutations permutations of the paired permutation test (default
 *     {@value Bootstrap#DEFAULT_PERMUTATIONS})
 * @param cacheDir the scorer's on-disk cache folder, or null for none ({@code --no-cache})
 * @param outDir where results, predictions and reports go
 * @param dataRoot the data root, or null to resolve it as usual ({@code GENDERALIGN_DATA_ROOT})
 * @param device {@code auto}, {@code cpu}, {@code gpu[:N]} (default {@value Devices#DEFAULT_DEVICE})
 * @param dtype weight type (default {@value Devices#DEFAULT_DTYPE})
 * @param batchSize sequences per forward pass (default {@value ScorerConfig#DEFAULT_BATCH_SIZE})
 * @param options settings of the preference and perplexity benchmarks
 */
public record EvaluationConfig(
    Map<String, String> models,
    String baseline,
    List<String> benchmarks,
    int limit,
    long seed,
    int bootstrapResamples,
    int permutations,
    @JsonSerialize(using = ToStringSerializer.class) Path cacheDir,
    @JsonSerialize(using = ToStringSerializer.class) Path outDir,
    @JsonSerialize(using = ToStringSerializer.class) Path dataRoot,
    String device,
    String dtype,
    int batchSize,
    BenchmarkOptions options) {

  /** Default seed. */
  public static final long DEFAULT_SEED = 1234;
  /** Fewest bootstrap resamples accepted (the project's rule for a 95% percentile interval). */
  public static final int MIN_RESAMPLES = 1000;
  /** Default scorer cache folder. */
  public static final Path DEFAULT_CACHE_DIR =
      Path.of(System.getProperty("user.home"), ".cache", "genderalign", "loglik");

  public EvaluationConfig {
    Objects.requireNonNull(models, "models");
    if (models.isEmpty()) {
      throw new IllegalArgumentException("no model to evaluate: give at least one --model NAME=SPEC");
    }
    for (Map.Entry<String, String> e : models.entrySet()) {
      requireModelName(e.getKey());
      if (e.getValue() == null || e.getValue().isBlank()) {
        throw new IllegalArgumentException("model '" + e.getKey() + "' has an empty spec");
      }
    }
    models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    if (baseline != null && !models.containsKey(baseline)) {
      throw new IllegalArgumentException("baseline '" + baseline + "' is not one of the models ("
          + String.join(", ", models.keySet()) + ")");
    }
    benchmarks = benchmarks == null || benchmarks.isEmpty() ? Benchmarks.applicable(models.size())
        : List.copyOf(benchmarks);
    List<String> seen = new ArrayList<>();
    for (String b : benchmarks) {
      Benchmarks.require(b);
      if (seen.contains(b)) {
        throw new IllegalArgumentException("benchmark '" + b + "' named twice");
      }
      seen.add(b);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0 (0 = all): " + limit);
    }
    if (bootstrapResamples < MIN_RESAMPLES) {
      throw new IllegalArgumentException("bootstrap resamples must be at least " + MIN_RESAMPLES
          + ": " + bootstrapResamples);
    }
    if (permutations < 1) {
      throw new IllegalArgumentException("permutations must be >= 1: " + permutations);
    }
    Objects.requireNonNull(outDir, "outDir");
    device = device == null ? Devices.DEFAULT_DEVICE : device;
    dtype = dtype == null ? Devices.DEFAULT_DTYPE : dtype;
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1: " + batchSize);
    }
    options = options == null ? BenchmarkOptions.defaults() : options;
    if (models.size() < 2 && benchmarks.contains(RankingBenchmark.NAME)) {
      throw new IllegalArgumentException("the ranking benchmark needs at least two models to "
          + "rank (got " + models.size() + "): add a --model or leave ranking out of --benchmarks");
    }
    if (models.size() < 2 && options.judging().exportAnnotation() != null) {
      throw new IllegalArgumentException("--export-annotation needs at least two models (got "
          + models.size() + ")");
    }
    if (models.size() > Blinding.MAX_ANSWERS && (benchmarks.contains(RankingBenchmark.NAME)
        || options.judging().exportAnnotation() != null)) {
      throw new IllegalArgumentException("the ranking holds at most " + Blinding.MAX_ANSWERS
          + " models (one label letter each), got " + models.size());
    }
    if (options.reference() != null && !models.containsKey(options.reference())) {
      throw new IllegalArgumentException("reference model '" + options.reference()
          + "' is not one of the models (" + String.join(", ", models.keySet()) + ")");
    }
  }

  /** A config with every default but the models and the output folder. */
  public static EvaluationConfig of(Map<String, String> models, Path outDir) {
    return new EvaluationConfig(models, null, null, 0, DEFAULT_SEED, Bootstrap.DEFAULT_RESAMPLES,
        Bootstrap.DEFAULT_PERMUTATIONS, DEFAULT_CACHE_DIR, outDir, null, null, null,
        ScorerConfig.DEFAULT_BATCH_SIZE, null);
  }

  /**
   * Models from {@code NAME=SPEC} strings (the CLI's and the Maven goal's form), in order.
   *
   * @throws IllegalArgumentException for a malformed string or a duplicate name
   */
  public static Map<String, String> parseModels(List<String> specs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String s : specs) {
      int eq = s.indexOf('=');
      if (eq <= 0 || eq == s.length() - 1) {
        throw new IllegalArgumentException("malformed --model '" + s + "': expected NAME=M with M "
            + "one of stories260K, stories260K-gguf, or a path");
      }
      String name = s.substring(0, eq);
      requireModelName(name);
      if (m.put(name, s.substring(eq + 1)) != null) {
        throw new IllegalArgumentException("duplicate model name '" + name + "' in --model");
      }
    }
    return m;
  }

  /**
   * Named files from {@code NAME=FILE} strings (the CLI's and the Maven goal's form of
   * {@code --preference-data} and {@code --prompts}), in order.
   *
   * @param option the option's name for the messages, e.g. {@code --prompts}
   * @param checked also reject a duplicate name and a file that does not exist (else a later
   *     name wins and the benchmark reports a missing file)
   * @throws IllegalArgumentException for a malformed string (or, checked, a duplicate or missing file)
   */
  public static Map<String, Path> parseNamedFiles(List<String> specs, String option, boolean checked) {
    Map<String, Path> files = new LinkedHashMap<>();
    for (String s : specs == null ? List.<String>of() : specs) {
      int eq = s.indexOf('=');
      if (eq <= 0 || eq == s.length() - 1) {
        throw new IllegalArgumentException("malformed " + option + " '" + s + "': expected NAME=FILE");
      }
      Path file = Path.of(s.substring(eq + 1));
      if (files.put(s.substring(0, eq), file) != null && checked) {
        throw new IllegalArgumentException("duplicate " + option + " name '" + s.substring(0, eq) + "'");
      }
      if (checked && !java.nio.file.Files.isRegularFile(file)) {
        throw new IllegalArgumentException(option + " " + s + ": no such file");
      }
    }
    return files;
  }

  /**
   * The names of a comma-separated list of built-in sets ({@code --preference-sets},
   * {@code --generation-sets}): blanks skipped, {@code none} = no set.
   */
  public static List<String> parseSetList(String list) {
    List<String> out = new java.util.ArrayList<>();
    if (list == null || list.equals("none")) {
      return out;
    }
    for (String s : list.split(",")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  /** Model names are used as folder names: letters, digits, '.', '-', '_'. */
  public static void requireModelName(String name) {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("bad model name '" + name
          + "': use letters, digits, '.', '-' or '_' (it names a folder of predictions)");
    }
  }

  public EvaluationConfig withBaseline(String name) {
    return new EvaluationConfig(models, name, benchmarks, limit, seed, bootstrapResamples,
        permutations, cacheDir, outDir, dataRoot, device, dtype, batchSize, options);
  }

  public EvaluationConfig withBenchmarks(List<String> names) {
    return new EvaluationConfig(models, baseline, names, limit, seed, bootstrapResamples,
        permutations, cacheDir, outDir, dataRoot, device, dtype, batchSize, options);
  }

  public EvaluationConfig withLimit(int n) {
    return new EvaluationConfig(models, baseline, benchmarks, n, seed, bootstrapResamples,
        permutations, cacheDir, outDir, dataRoot, device, dtype, batchSize, options);
  }

  public EvaluationConfig withSeed(long s) {
    return new EvaluationConfig(models, baseline, benchmarks, limit, s, bootstrapResamples,
        permutations, cacheDir, outDir, dataRoot, device, dtype, batchSize, options);
  }

  public EvaluationConfig withCacheDir(Path dir) {
    return new EvaluationConfig(models, baseline, benchmarks, limit, seed, bootstrapResamples,
        permutations, dir, outDir, dataRoot, device, dtype, batchSize, options);
  }

  public EvaluationConfig withDataRoot(Path dir) {
    return new EvaluationConfig(models, baseline, benchmarks, limit, seed, bootstrapResamples,
        permutations, cacheDir, outDir, dir, device, dtype, batchSize, options);
  }

  public EvaluationConfig withResamples(int resamples, int perms) {
    return new EvaluationConfig(models, baseline, benchmarks, limit, seed, resamples, perms,
        cacheDir, outDir, dataRoot, device, dtype, batchSize, options);
  }

  public EvaluationConfig withOptions(BenchmarkOptions o) {
    return new EvaluationConfig(models, baseline, benchmarks, limit, seed, bootstrapResamples,
        permutations, cacheDir, outDir, dataRoot, device, dtype, batchSize, o);
  }

  public EvaluationConfig withDevice(String dev, String type, int batch) {
    return new EvaluationConfig(models, baseline, benchmarks, limit, seed, bootstrapResamples,
        permutations, cacheDir, outDir, dataRoot, dev, type, batch, options);
  }
}

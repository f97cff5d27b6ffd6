package org.genderalign.eval.generation;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.trainer.data.PromptTemplate;
import org.genderalign.trainer.generate.GenerationConfig;

/**
 * How the models answer the held-out prompts of the generation-based benchmarks
 * ({@code generation-bias}, {@code ranking}). Immutable and validated; every field is recorded
 * with the answers (and part of their reuse key, except the batch size, which does not change
 * the text).
 *
 * @param promptSets built-in prompt sets: {@value #RELEASE} (the real GenderAlign release's 101
 *     prompts); default that one; empty for only {@code promptFiles}
 * @param promptFiles further prompt sets by name → a pair file (TRL JSONL by default, e.g. the
 *     built data set's {@code test.jsonl}); only the prompts are used
 * @param promptFormat the format of {@code promptFiles} (default {@code trl})
 * @param template the prompt template name ({@code raw}, {@code hh}, …, {@code model} = the
 *     checkpoint's own chat template); null = the preference benchmark's template (the one the
 *     models were trained with)
 * @param maxNewTokens new tokens per answer at most (default {@value #DEFAULT_MAX_NEW_TOKENS})
 * @param stopStrings stop strings besides the template's own (default none)
 * @param temperature 0 = greedy (default), else sampling with top-p {@value #DEFAULT_TOP_P}
 * @param seed seed of each answer's sampling stream (mixed with the prompt's id); unused when
 *     greedy but recorded (default {@value #DEFAULT_SEED})
 * @param batchSize prompts generated together (default {@value #DEFAULT_BATCH_SIZE})
 * @param samples how many prompts the report shows with every model's answer (default
 *     {@value #DEFAULT_SAMPLES}; 0 = none)
 */
public record GenerationOptions(
    List<String> promptSets,
    @JsonSerialize(contentUsing = ToStringSerializer.class) Map<String, Path> promptFiles,
    String promptFormat,
    String template,
    int maxNewTokens,
    List<String> stopStrings,
    float temperature,
    long seed,
    int batchSize,
    int samples) {

  /** The real GenderAlign release's prompts. */
  public static final String RELEASE = "genderalign-release";
  /** Every built-in prompt set. */
  public static final List<String> BUILT_IN_SETS = List.of(RELEASE);
  public static final int DEFAULT_MAX_NEW_TOKENS = 128;
  public static final long DEFAULT_SEED = GenerationConfig.DEFAULT_SEED;
  public static final float DEFAULT_TOP_P = GenerationConfig.DEFAULT_TOP_P;
  public static final int DEFAULT_BATCH_SIZE = 16;
  public static final int DEFAULT_SAMPLES = 5;
  /** A prompt set name: letters, digits, - or _ (it names files). */
  private static final String SET_NAME = "[A-Za-z0-9_-]+";

  public GenerationOptions {
    promptSets = promptSets == null ? BUILT_IN_SETS : List.copyOf(promptSets);
    for (String s : promptSets) {
      if (!BUILT_IN_SETS.contains(s)) {
        throw new IllegalArgumentException("unknown prompt set '" + s + "' (built in: "
            + String.join(", ", BUILT_IN_SETS) + "; give others with --prompts NAME=FILE)");
      }
    }
    promptFiles = promptFiles == null ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(promptFiles));
    for (String name : promptFiles.keySet()) {
      if (BUILT_IN_SETS.contains(name) || name == null || !name.matches(SET_NAME)) {
        throw new IllegalArgumentException("--prompts name '" + name + "' must be letters, "
            + "digits, '-' or '_' and not a built-in set name (" + String.join(", ", BUILT_IN_SETS)
            + ")");
      }
    }
    if (promptSets.size() + promptFiles.size() == 0) {
      throw new IllegalArgumentException("no prompt set: keep " + RELEASE
          + " or give --prompts NAME=FILE");
    }
    promptFormat = promptFormat == null ? "trl" : promptFormat;
    org.genderalign.core.format.Formats.pairs(promptFormat); // validates the name
    if (template != null && !PromptTemplate.names().contains(template)) {
      throw new IllegalArgumentException("unknown --generation-template '" + template
          + "' (known: " + String.join(", ", PromptTemplate.names()) + ")");
    }
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("--generation-max-new-tokens must be >= 1: "
          + maxNewTokens);
    }
    stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
    if (stopStrings.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("--generation-stop must not be empty");
    }
    if (!(temperature >= 0) || Float.isInfinite(temperature)) {
      throw new IllegalArgumentException("--generation-temperature must be >= 0 (0 = greedy): "
          + temperature);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("--generation-batch-size must be >= 1: " + batchSize);
    }
    if (samples < 0) {
      throw new IllegalArgumentException("--samples must be >= 0: " + samples);
    }
  }

  /** Every default. */
  public static GenerationOptions defaults() {
    return new GenerationOptions(null, null, null, null, DEFAULT_MAX_NEW_TOKENS, null, 0f,
        DEFAULT_SEED, DEFAULT_BATCH_SIZE, DEFAULT_SAMPLES);
  }

  /** Every set name: the built-in ones, then the files', in order. */
  public List<String> setNames() {
    List<String> out = new ArrayList<>(promptSets);
    out.addAll(promptFiles.keySet());
    return out;
  }

  public GenerationOptions withMaxNewTokens(int n) {
    return new GenerationOptions(promptSets, promptFiles, promptFormat, template, n, stopStrings,
        temperature, seed, batchSize, samples);
  }

  public GenerationOptions withTemplate(String t) {
    return new GenerationOptions(promptSets, promptFiles, promptFormat, t, maxNewTokens,
        stopStrings, temperature, seed, batchSize, samples);
  }

  public GenerationOptions withPromptSets(List<String> sets, Map<String, Path> files) {
    return new GenerationOptions(sets, files, promptFormat, template, maxNewTokens, stopStrings,
        temperature, seed, batchSize, samples);
  }

  public GenerationOptions withBatchSize(int b) {
    return new GenerationOptions(promptSets, promptFiles, promptFormat, template, maxNewTokens,
        stopStrings, temperature, seed, b, samples);
  }

  public GenerationOptions withSampling(float t, long s) {
    return new GenerationOptions(promptSets, promptFiles, promptFormat, template, maxNewTokens,
        stopStrings, t, s, batchSize, samples);
  }

  public GenerationOptions withSamples(int n) {
    return new GenerationOptions(promptSets, promptFiles, promptFormat, template, maxNewTokens,
        stopStrings, temperature, seed, batchSize, n);
  }
}

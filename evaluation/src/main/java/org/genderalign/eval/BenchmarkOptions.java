package org.genderalign.eval;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.eval.generation.GenerationOptions;
import org.genderalign.eval.judge.JudgeOptions;
import org.genderalign.trainer.data.PairEncoder;
import org.genderalign.trainer.data.PromptTemplate;

/**
 * Settings of the benchmarks that have some ({@code preference}, {@code perplexity}, and the
 * generation-based {@code generation-bias} and {@code ranking}); the likelihood benchmarks of
 * eval-protocol.md have none (the protocol fixes everything).
 *
 * @param preferenceSets the built-in held-out preference sets to score: {@value #RELEASE} (the
 *     real GenderAlign release sample, 101 pairs) and/or {@value #HH_TEST} (HH-RLHF harmless-base
 *     test, 2,312 pairs); default both
 * @param preferenceFiles further preference files by set name → path (TRL JSONL, e.g. the built
 *     data set's {@code test.jsonl} as {@code built})
 * @param preferenceFormat the format of {@code preferenceFiles} (default {@code trl})
 * @param promptTemplate how prompts are templated, as in DPO training (default {@code raw})
 * @param maxLength max prompt + completion tokens, as in DPO training (default
 *     {@value PairEncoder#DEFAULT_MAX_LENGTH}, capped at the model's context)
 * @param beta DPO β for the implicit reward (default {@value #DEFAULT_BETA})
 * @param reference the model (by name) whose log-probabilities are the DPO reference of the
 *     others' implicit rewards, or null for none
 * @param alpacaHeldOut the Alpaca rows the perplexity benchmark scores; SFT must not train on them
 * @param generation how the generation-based benchmarks make the models answer (prompt sets,
 *     template, max new tokens, stop strings, sampling, batch size, report samples)
 * @param judging the ranking's judges and their endpoint
 */
public record BenchmarkOptions(
    List<String> preferenceSets,
    @JsonSerialize(contentUsing = ToStringSerializer.class) Map<String, Path> preferenceFiles,
    String preferenceFormat,
    String promptTemplate,
    int maxLength,
    double beta,
    String reference,
    HeldOutSlice alpacaHeldOut,
    GenerationOptions generation,
    JudgeOptions judging) {

  /** The real GenderAlign release sample. */
  public static final String RELEASE = "genderalign-release";
  /** The HH-RLHF harmless-base test split. */
  public static final String HH_TEST = "hh-harmless-test";
  /** Default DPO β. */
  public static final double DEFAULT_BETA = 0.1;
  /** Default built-in preference sets. */
  public static final List<String> DEFAULT_PREFERENCE_SETS = List.of(RELEASE, HH_TEST);

  public BenchmarkOptions {
    preferenceSets = preferenceSets == null ? DEFAULT_PREFERENCE_SETS : List.copyOf(preferenceSets);
    for (String s : preferenceSets) {
      if (!DEFAULT_PREFERENCE_SETS.contains(s)) {
        throw new IllegalArgumentException("unknown preference set '" + s + "' (known: "
            + String.join(", ", DEFAULT_PREFERENCE_SETS) + ")");
      }
    }
    preferenceFiles = preferenceFiles == null ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(preferenceFiles));
    for (String name : preferenceFiles.keySet()) {
      if (DEFAULT_PREFERENCE_SETS.contains(name) || !name.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException("preference file name '" + name
            + "' must be letters, digits, '-' or '_' and not a built-in set name");
      }
    }
    preferenceFormat = preferenceFormat == null ? "trl" : preferenceFormat;
    promptTemplate = promptTemplate == null ? PromptTemplate.RAW : promptTemplate;
    PromptTemplate.named(promptTemplate); // validates the name
    if (maxLength < 2) {
      throw new IllegalArgumentException("maxLength must be >= 2: " + maxLength);
    }
    if (!(beta > 0)) {
      throw new IllegalArgumentException("beta must be > 0: " + beta);
    }
    alpacaHeldOut = alpacaHeldOut == null ? HeldOutSlice.ALPACA_DEFAULT : alpacaHeldOut;
    generation = generation == null ? GenerationOptions.defaults() : generation;
    judging = judging == null ? JudgeOptions.defaults() : judging;
  }

  /** Options without generation and judge settings (their defaults). */
  public BenchmarkOptions(List<String> preferenceSets, Map<String, Path> preferenceFiles,
      String preferenceFormat, String promptTemplate, int maxLength, double beta,
      String reference, HeldOutSlice alpacaHeldOut) {
    this(preferenceSets, preferenceFiles, preferenceFormat, promptTemplate, maxLength, beta,
        reference, alpacaHeldOut, null, null);
  }

  /**
   * The prompt template of generation: the generation options' own, else the one of the
   * preference benchmark (the one the models were trained with).
   */
  public String generationTemplate() {
    return generation.template() != null ? generation.template() : promptTemplate;
  }

  /** Every default. */
  public static BenchmarkOptions defaults() {
    return new BenchmarkOptions(null, null, null, null, PairEncoder.DEFAULT_MAX_LENGTH,
        DEFAULT_BETA, null, null);
  }

  public BenchmarkOptions withReference(String name) {
    return new BenchmarkOptions(preferenceSets, preferenceFiles, preferenceFormat, promptTemplate,
        maxLength, beta, name, alpacaHeldOut, generation, judging);
  }

  public BenchmarkOptions withPreferenceFiles(Map<String, Path> files) {
    return new BenchmarkOptions(preferenceSets, files, preferenceFormat, promptTemplate,
        maxLength, beta, reference, alpacaHeldOut, generation, judging);
  }

  public BenchmarkOptions withPreferenceSets(List<String> sets) {
    return new BenchmarkOptions(sets, preferenceFiles, preferenceFormat, promptTemplate,
        maxLength, beta, reference, alpacaHeldOut, generation, judging);
  }

  public BenchmarkOptions withAlpacaHeldOut(HeldOutSlice slice) {
    return new BenchmarkOptions(preferenceSets, preferenceFiles, preferenceFormat, promptTemplate,
        maxLength, beta, reference, slice, generation, judging);
  }

  public BenchmarkOptions withGeneration(GenerationOptions g) {
    return new BenchmarkOptions(preferenceSets, preferenceFiles, preferenceFormat, promptTemplate,
        maxLength, beta, reference, alpacaHeldOut, g, judging);
  }

  public BenchmarkOptions withJudging(JudgeOptions j) {
    return new BenchmarkOptions(preferenceSets, preferenceFiles, preferenceFormat, promptTemplate,
        maxLength, beta, reference, alpacaHeldOut, generation, j);
  }

  public BenchmarkOptions withPromptTemplate(String template) {
    return new BenchmarkOptions(preferenceSets, preferenceFiles, preferenceFormat, template,
        maxLength, beta, reference, alpacaHeldOut, generation, judging);
  }
}

package org.genderalign.builder.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import lombok.Builder;
import org.genderalign.core.dataset.AuditSettings;

/**
 * Everything that determines a data set build. Same config + same inputs → byte-identical
 * outputs. Null fields take the documented defaults, so a JSON config file only names what it
 * changes; every value is validated here, once, with a message that names the field.
 *
 * @param target number of pairs to export (train + test) when enough candidates survive
 * @param seed random seed of every sampling decision
 * @param generator backend that writes the dialogues (question + chosen answer) and, unless
 *     {@code rejectedGenerator} is set, the rejected answers: {@code template}, {@code openai}
 *     or {@code model} (rejected answers only)
 * @param rejectedGenerator backend that writes the rejected answers; null = same as
 *     {@code generator}
 * @param dialoguesPerSeed independent single-turn dialogues per seed (the paper: 3)
 * @param sources built-in seed corpora to use (ids of {@code SeedSources})
 * @param userSeeds extra seed files (.txt one seed a line, .csv with a {@code text} column,
 *     .jsonl with a {@code text} field)
 * @param seedMinChars shortest seed text kept after normalisation
 * @param seedMaxChars longest seed text kept after normalisation
 * @param oversample candidates generated per wanted pair, to leave room for the filters
 * @param rejectedStyles weights of the template backend's rejected-answer styles
 *     ({@code endorse}, {@code off_topic}, {@code low_quality})
 * @param filters filter settings
 * @param mix target category mix: {@code balanced} (equal shares of the four bias categories,
 *     {@code none} at its natural share), {@code natural} (no rebalancing), or {@code weights}
 * @param mixWeights category id → weight when {@code mix} is {@code weights}
 * @param testFraction share of pairs in the test split (the paper: 0.1)
 * @param threads worker threads for classification and filtering
 * @param openai the chat endpoint writing dialogues (and rejected answers unless
 *     {@code openaiRejected} is set)
 * @param openaiRejected a second endpoint for the rejected answers (e.g. an unaligned model
 *     served by vLLM), or null
 * @param model the local model of the {@code model} backend (a dpo-trainer short name such as
 *     {@code stories260K}, or a path); set to its default only when a generator is {@code model}
 * @param modelMaxNewTokens new tokens per answer of the {@code model} backend
 * @param modelTemperature sampling temperature of the {@code model} backend (0 = greedy)
 * @param modelPromptTemplate how a question becomes the model's prompt ({@code hh} or {@code raw})
 * @param audit how the shortcut audit of the built pairs samples and measures, and the thresholds
 *     past which the build warns ({@link AuditSettings}; every field defaults)
 * @param exportFormat the format of {@code train.jsonl} and {@code test.jsonl}: {@code trl}
 *     (TRL's standard shape, prompt/chosen/rejected strings) or {@code trl-conversational}
 *     (TRL's conversational shape: message lists); null = {@value #DEFAULT_EXPORT_FORMAT}, and
 *     then not recorded, so configs and hashes of earlier builds stay as they were
 */
@Builder(toBuilder = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = false)
public record BuildConfig(
    Integer target,
    Long seed,
    String generator,
    String rejectedGenerator,
    Integer dialoguesPerSeed,
    List<String> sources,
    List<String> userSeeds,
    Integer seedMinChars,
    Integer seedMaxChars,
    Double oversample,
    Map<String, Double> rejectedStyles,
    FilterConfig filters,
    String mix,
    Map<String, Double> mixWeights,
    Double testFraction,
    Integer threads,
    OpenAiConfig openai,
    OpenAiConfig openaiRejected,
    String model,
    Integer modelMaxNewTokens,
    Double modelTemperature,
    String modelPromptTemplate,
    AuditSettings audit,
    String exportFormat) {

  /** The paper released "8k" pairs (8,362). */
  public static final int DEFAULT_TARGET = 8000;
  public static final long DEFAULT_SEED = 42L;
  public static final String DEFAULT_GENERATOR = "template";
  /** TRL's standard preference shape, which every TRL version reads. */
  public static final String DEFAULT_EXPORT_FORMAT = "trl";
  /** Formats {@code train.jsonl} / {@code test.jsonl} may be written in. */
  public static final Set<String> EXPORT_FORMATS = Set.of("trl", "trl-conversational");
  /** The paper wrote three independent single-turn dialogues per seed. */
  public static final int DEFAULT_DIALOGUES_PER_SEED = 3;
  public static final List<String> DEFAULT_SOURCES =
      List.of("workplace-sexism", "edos", "gest", "online-misogyny");
  public static final int DEFAULT_SEED_MIN_CHARS = 12;
  public static final int DEFAULT_SEED_MAX_CHARS = 600;
  /**
   * The paper kept 8,362 of 12,741 candidates (≈1.5×). About 74% of the template backend's
   * candidates survive the filters, so 1.4× fills the default balanced mix in one round (a
   * second round, which the build runs when short, costs more than the extra candidates).
   */
  public static final double DEFAULT_OVERSAMPLE = 1.4;
  /** Half the paper's rejected answers were judged biased; the rest were poor or off-topic. */
  public static final Map<String, Double> DEFAULT_REJECTED_STYLES =
      Map.of("endorse", 0.65, "off_topic", 0.15, "low_quality", 0.20);
  public static final String DEFAULT_MIX = "balanced";
  public static final double DEFAULT_TEST_FRACTION = 0.1;
  public static final int DEFAULT_THREADS = 2;

  /** Generator names known to the build (see {@code Generators}). */
  public static final Set<String> GENERATORS = Set.of("template", "openai", "model");
  /** The {@code model} backend's default: the tiny llama2.c model of the data root. */
  public static final String DEFAULT_MODEL = "stories260K";
  /** Rejected answers of the paper were a few sentences; 64 tokens keep a CPU build quick. */
  public static final int DEFAULT_MODEL_MAX_NEW_TOKENS = 64;
  /** Sampled, not greedy: a greedy small model repeats one answer for similar questions. */
  public static final double DEFAULT_MODEL_TEMPERATURE = 0.8;
  /** Human/Assistant turns, as the paper prompted its Alpaca-SFT model. */
  public static final String DEFAULT_MODEL_PROMPT_TEMPLATE = "hh";
  /** Prompt templates of the {@code model} backend. */
  public static final Set<String> MODEL_PROMPT_TEMPLATES = Set.of("hh", "raw");
  /** Mix modes. */
  public static final Set<String> MIXES = Set.of("balanced", "natural", "weights");
  /** Template rejected-answer styles. */
  public static final Set<String> REJECTED_STYLES = Set.of("endorse", "off_topic", "low_quality");
  /** Category ids accepted in {@code mixWeights}. */
  public static final Set<String> CATEGORY_IDS = Set.of("stereotypes", "discriminatory_language",
      "occupational_educational_sexism", "marginalized_gender_bias", "none");

  public BuildConfig {
    target = orDefault(target, DEFAULT_TARGET);
    seed = seed == null ? DEFAULT_SEED : seed;
    generator = generator == null ? DEFAULT_GENERATOR : generator;
    dialoguesPerSeed = orDefault(dialoguesPerSeed, DEFAULT_DIALOGUES_PER_SEED);
    sources = sources == null ? DEFAULT_SOURCES : List.copyOf(sources);
    userSeeds = userSeeds == null ? List.of() : List.copyOf(userSeeds);
    seedMinChars = orDefault(seedMinChars, DEFAULT_SEED_MIN_CHARS);
    seedMaxChars = orDefault(seedMaxChars, DEFAULT_SEED_MAX_CHARS);
    oversample = oversample == null ? DEFAULT_OVERSAMPLE : oversample;
    rejectedStyles = new TreeMap<>(rejectedStyles == null ? DEFAULT_REJECTED_STYLES : rejectedStyles);
    filters = filters == null ? FilterConfig.builder().build() : filters;
    mix = mix == null ? DEFAULT_MIX : mix;
    mixWeights = mixWeights == null ? null : new TreeMap<>(mixWeights);
    testFraction = testFraction == null ? DEFAULT_TEST_FRACTION : testFraction;
    threads = orDefault(threads, DEFAULT_THREADS);
    openai = openai == null ? OpenAiConfig.builder().build() : openai;
    audit = audit == null ? AuditSettings.defaults() : audit;
    // Model settings appear in the recorded config only when the model backend is used.
    if ("model".equals(generator) || "model".equals(rejectedGenerator)) {
      model = model == null ? DEFAULT_MODEL : model;
      modelMaxNewTokens = orDefault(modelMaxNewTokens, DEFAULT_MODEL_MAX_NEW_TOKENS);
      modelTemperature = modelTemperature == null ? DEFAULT_MODEL_TEMPERATURE : modelTemperature;
      modelPromptTemplate = modelPromptTemplate == null ? DEFAULT_MODEL_PROMPT_TEMPLATE : modelPromptTemplate;
    }

    check(exportFormat == null || EXPORT_FORMATS.contains(exportFormat), "exportFormat",
        "must be one of " + sorted(EXPORT_FORMATS) + ", got '" + exportFormat + "'");
    check(target >= 1 && target <= 10_000_000, "target", "must be between 1 and 10000000, got " + target);
    check(GENERATORS.contains(generator), "generator", "must be one of " + sorted(GENERATORS) + ", got '" + generator + "'");
    check(!"model".equals(generator), "generator",
        "'model' writes rejected answers only (a local model cannot write the dialogues); use rejectedGenerator 'model'");
    check(rejectedGenerator == null || GENERATORS.contains(rejectedGenerator), "rejectedGenerator",
        "must be one of " + sorted(GENERATORS) + ", got '" + rejectedGenerator + "'");
    check(dialoguesPerSeed >= 1 && dialoguesPerSeed <= 10, "dialoguesPerSeed", "must be 1..10, got " + dialoguesPerSeed);
    check(!sources.isEmpty() || !userSeeds.isEmpty(), "sources", "no seed sources: give at least one source or user seed file");
    check(seedMinChars >= 1 && seedMinChars <= seedMaxChars, "seedMinChars",
        "must be ≥ 1 and ≤ seedMaxChars (" + seedMaxChars + "), got " + seedMinChars);
    check(oversample >= 1.0 && oversample <= 10.0, "oversample", "must be in [1, 10], got " + oversample);
    for (Map.Entry<String, Double> e : rejectedStyles.entrySet()) {
      check(REJECTED_STYLES.contains(e.getKey()), "rejectedStyles",
          "unknown style '" + e.getKey() + "', expected " + sorted(REJECTED_STYLES));
      check(e.getValue() != null && e.getValue() >= 0 && Double.isFinite(e.getValue()), "rejectedStyles",
          "weight of '" + e.getKey() + "' must be a finite number ≥ 0");
    }
    check(rejectedStyles.values().stream().mapToDouble(Double::doubleValue).sum() > 0, "rejectedStyles",
        "weights must not all be 0");
    check(MIXES.contains(mix), "mix", "must be one of " + sorted(MIXES) + ", got '" + mix + "'");
    if ("weights".equals(mix)) {
      check(mixWeights != null && !mixWeights.isEmpty(), "mixWeights", "required when mix is 'weights'");
    }
    if (mixWeights != null) {
      for (Map.Entry<String, Double> e : mixWeights.entrySet()) {
        check(CATEGORY_IDS.contains(e.getKey()), "mixWeights",
            "unknown category '" + e.getKey() + "', expected " + sorted(CATEGORY_IDS));
        check(e.getValue() != null && e.getValue() >= 0 && Double.isFinite(e.getValue()), "mixWeights",
            "weight of '" + e.getKey() + "' must be a finite number ≥ 0");
      }
    }
    check(testFraction > 0 && testFraction < 1, "testFraction", "must be in (0, 1), got " + testFraction);
    check(threads >= 1 && threads <= 256, "threads", "must be 1..256, got " + threads);
    check(model == null || !model.isBlank(), "model", "must not be blank");
    check(modelMaxNewTokens == null || (modelMaxNewTokens >= 1 && modelMaxNewTokens <= 4096), "modelMaxNewTokens",
        "must be 1..4096, got " + modelMaxNewTokens);
    check(modelTemperature == null || (modelTemperature >= 0 && modelTemperature <= 10), "modelTemperature",
        "must be in [0, 10], got " + modelTemperature);
    check(modelPromptTemplate == null || MODEL_PROMPT_TEMPLATES.contains(modelPromptTemplate), "modelPromptTemplate",
        "must be one of " + sorted(MODEL_PROMPT_TEMPLATES) + ", got '" + modelPromptTemplate + "'");
  }

  /** The defaults. */
  public static BuildConfig defaults() {
    return builder().build();
  }

  /** The backend writing rejected answers. */
  public String effectiveRejectedGenerator() {
    return rejectedGenerator == null ? generator : rejectedGenerator;
  }

  /** The format of {@code train.jsonl} and {@code test.jsonl} (a core format name). */
  public String effectiveExportFormat() {
    return exportFormat == null ? DEFAULT_EXPORT_FORMAT : exportFormat;
  }

  /** The backend writing dialogues. */
  public String effectiveDialogueGenerator() {
    return generator;
  }

  /** The endpoint for rejected answers. */
  public OpenAiConfig effectiveOpenaiRejected() {
    return openaiRejected == null ? openai : openaiRejected;
  }

  static int orDefault(Integer v, int def) {
    return v == null ? def : v;
  }

  static void check(boolean ok, String field, String problem) {
    if (!ok) {
      throw new ConfigException(field, problem);
    }
  }

  static String sorted(Set<String> s) {
    return s.stream().sorted().toList().toString();
  }
}

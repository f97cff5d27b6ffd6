package org.genderalign.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Locale;
import java.util.Set;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.eval.benchmark.Benchmarks;
import org.genderalign.eval.stats.Bootstrap;
import org.genderalign.trainer.dpo.loss.PreferenceLossConfig;
import org.genderalign.trainer.dpo.loss.PreferenceLosses;
import org.genderalign.trainer.lora.LoraConfig;

/**
 * Everything one pipeline run needs: an immutable tree of records, each field defaulted when
 * null (so a YAML or JSON file names only what it changes) and validated here with a message
 * naming the field. {@link PipelineConfigs} reads, overrides ({@code --set}) and writes it.
 *
 * <p>The embedded default is sized to finish in about a quarter of an hour on 2 CPU cores
 * with the 260K-parameter stories260K (see docs/pipeline.md for what that trades); the
 * {@code paper} preset ({@code paper.yaml}) is the paper's recipe for Llama-2-7B on GPUs.
 *
 * @param seed default of {@code build.seed}, {@code base.seed} and {@code dpo.seed} when they
 *     are not given (default {@value #DEFAULT_SEED})
 * @param out the output folder (default {@value #DEFAULT_OUT}); stage folders go under it
 * @param dataRoot the data root folder, or null for {@code GENDERALIGN_DATA_ROOT} / the default
 * @param devices training devices: {@code cpu} (default), {@code gpu0[,gpu1…]} or {@code all}
 * @param precision training weights: {@code auto} (default: bf16 on a GPU with LoRA, else
 *     fp32), {@code fp32} or {@code bf16}
 * @param build the data set build (the dataset builder's own config; its defaults: 8,000 pairs,
 *     offline {@code template} generator, 9:1 split)
 * @param base SFT of the starting model on the mirrored Alpaca sample → Base
 * @param dpo the one DPO recipe of both the Harmless and the GenderAlign stage
 * @param harmless the HH-RLHF harmless subset the Harmless model is aligned on
 * @param eval the evaluation of Base, Harmless and GenderAlign
 */
@JsonPropertyOrder({"seed", "out", "dataRoot", "devices", "precision", "build", "base", "dpo", "harmless",
    "eval"})
public record PipelineConfig(
    Long seed,
    String out,
    String dataRoot,
    String devices,
    String precision,
    BuildConfig build,
    Base base,
    Dpo dpo,
    Harmless harmless,
    Eval eval) {

  public static final long DEFAULT_SEED = 42;
  public static final String DEFAULT_OUT = "runs/pipeline";
  public static final String DEFAULT_DEVICES = "cpu";
  public static final String DEFAULT_PRECISION = "auto";
  /** Weight types a config may name. */
  public static final Set<String> PRECISIONS = Set.of("auto", "fp32", "bf16");

  public PipelineConfig {
    seed = seed == null ? DEFAULT_SEED : seed;
    out = out == null || out.isBlank() ? DEFAULT_OUT : out;
    devices = devices == null ? DEFAULT_DEVICES : devices;
    precision = precision == null ? DEFAULT_PRECISION : precision.toLowerCase(Locale.ROOT);
    if (!PRECISIONS.contains(precision)) {
      throw new IllegalArgumentException("precision must be one of auto, fp32, bf16, got '"
          + precision + "'");
    }
    build = build == null ? BuildConfig.builder().seed(seed).build() : build;
    base = base == null ? new Base(null, null, null, null, null, null, null, null, seed, null) : base;
    dpo = dpo == null ? new Dpo(null, null, null, null, null, null, null, null, null, null, null,
        seed, null) : dpo;
    harmless = harmless == null ? new Harmless(null, null, null) : harmless;
    eval = eval == null ? new Eval(null, null, null, null, null, null, null, null, null, null, null,
        null, null) : eval;
  }

  /** Every default. */
  public static PipelineConfig defaults() {
    return new PipelineConfig(null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * SFT of the starting model on the mirrored Alpaca sample: the paper's Base is Alpaca-SFT.
   * Only rows outside the perplexity benchmark's held-out slice are trained on.
   *
   * @param model the starting model: {@code stories260K} (default), a Hugging Face folder, a
   *     {@code .gguf} or llama2.c {@code .bin}
   * @param examples Alpaca rows trained on, the first outside the held-out slice (default
   *     {@value #DEFAULT_EXAMPLES})
   * @param steps optimizer steps (default {@value #DEFAULT_STEPS})
   * @param batchSize examples per micro-batch (default {@value #DEFAULT_BATCH_SIZE})
   * @param gradientAccumulationSteps micro-batches per step (default 1)
   * @param learningRate peak AdamW learning rate, linear decay (default {@value #DEFAULT_LR})
   * @param maxLength max tokens per example (default {@value #DEFAULT_MAX_LENGTH})
   * @param loraRank LoRA rank, or null for full fine-tuning (default)
   * @param seed data order and dropout (default: the top-level seed)
   * @param saveSteps checkpoint every N steps, so a killed run resumes (default
   *     {@value #DEFAULT_SAVE_STEPS})
   */
  public record Base(String model, Integer examples, Long steps, Integer batchSize,
      Integer gradientAccumulationSteps, Double learningRate, Integer maxLength, Integer loraRank,
      Long seed, Long saveSteps) {
    public static final String DEFAULT_MODEL = "stories260K";
    public static final int DEFAULT_EXAMPLES = 1000;
    public static final long DEFAULT_STEPS = 40;
    public static final int DEFAULT_BATCH_SIZE = 8;
    public static final double DEFAULT_LR = 1e-3;
    public static final int DEFAULT_MAX_LENGTH = 192;
    public static final long DEFAULT_SAVE_STEPS = 20;

    public Base {
      model = model == null ? DEFAULT_MODEL : model;
      examples = positive("base.examples", examples, DEFAULT_EXAMPLES);
      steps = positive("base.steps", steps, DEFAULT_STEPS);
      batchSize = positive("base.batchSize", batchSize, DEFAULT_BATCH_SIZE);
      gradientAccumulationSteps = positive("base.gradientAccumulationSteps",
          gradientAccumulationSteps, 1);
      learningRate = positive("base.learningRate", learningRate, DEFAULT_LR);
      maxLength = positive("base.maxLength", maxLength, DEFAULT_MAX_LENGTH);
      if (loraRank != null && loraRank < 1) {
        throw new IllegalArgumentException("base.loraRank must be >= 1 or null (full "
            + "fine-tuning), got " + loraRank);
      }
      seed = seed == null ? DEFAULT_SEED : seed;
      saveSteps = positive("base.saveSteps", saveSteps, DEFAULT_SAVE_STEPS);
    }
  }

  /**
   * The DPO recipe shared by the Harmless and the GenderAlign stage (same recipe, same seed, so
   * the data set is the only difference). The defaults keep the aligned models' held-out
   * perplexity within 20% of Base's (measured: docs/pipeline.md).
   *
   * @param loss a preference loss name (default {@code sigmoid}, DPO)
   * @param beta DPO β (default {@value #DEFAULT_BETA})
   * @param learningRate peak AdamW learning rate (default {@value #DEFAULT_LR})
   * @param steps optimizer steps (default {@value #DEFAULT_STEPS})
   * @param batchSize pairs per micro-batch (default {@value #DEFAULT_BATCH_SIZE})
   * @param gradientAccumulationSteps micro-batches per step (default 1)
   * @param warmupSteps linear warmup steps (default 0)
   * @param maxLength max prompt + completion tokens (default {@value #DEFAULT_MAX_LENGTH})
   * @param promptTemplate {@code raw} (default) or {@code hh}
   * @param loraRank LoRA rank, or null for full fine-tuning with a frozen reference copy (default)
   * @param loraAlpha LoRA alpha (default {@value LoraConfig#DEFAULT_ALPHA})
   * @param seed data order, LoRA init, dropout (default: the top-level seed)
   * @param saveSteps checkpoint every N steps (default {@value #DEFAULT_SAVE_STEPS})
   */
  public record Dpo(String loss, Double beta, Double learningRate, Long steps, Integer batchSize,
      Integer gradientAccumulationSteps, Long warmupSteps, Integer maxLength,
      String promptTemplate, Integer loraRank, Double loraAlpha, Long seed, Long saveSteps) {
    public static final String DEFAULT_LOSS = PreferenceLossConfig.DEFAULT_NAME;
    public static final double DEFAULT_BETA = 0.1;
    public static final double DEFAULT_LR = 5e-5;
    public static final long DEFAULT_STEPS = 20;
    public static final int DEFAULT_BATCH_SIZE = 4;
    public static final int DEFAULT_MAX_LENGTH = 192;
    public static final long DEFAULT_SAVE_STEPS = 5;

    public Dpo {
      loss = loss == null ? DEFAULT_LOSS : loss;
      beta = positive("dpo.beta", beta, DEFAULT_BETA);
      PreferenceLosses.create(PreferenceLossConfig.of(loss, beta)); // validates the name
      learningRate = positive("dpo.learningRate", learningRate, DEFAULT_LR);
      steps = positive("dpo.steps", steps, DEFAULT_STEPS);
      batchSize = positive("dpo.batchSize", batchSize, DEFAULT_BATCH_SIZE);
      gradientAccumulationSteps = positive("dpo.gradientAccumulationSteps",
          gradientAccumulationSteps, 1);
      warmupSteps = warmupSteps == null ? 0L : warmupSteps;
      if (warmupSteps < 0) {
        throw new IllegalArgumentException("dpo.warmupSteps must be >= 0, got " + warmupSteps);
      }
      maxLength = positive("dpo.maxLength", maxLength, DEFAULT_MAX_LENGTH);
      promptTemplate = promptTemplate == null ? "raw" : promptTemplate;
      if (!promptTemplate.equals("raw") && !promptTemplate.equals("hh")) {
        throw new IllegalArgumentException("dpo.promptTemplate must be raw or hh, got '"
            + promptTemplate + "'");
      }
      if (loraRank != null && loraRank < 1) {
        throw new IllegalArgumentException("dpo.loraRank must be >= 1 or null (full "
            + "fine-tuning), got " + loraRank);
      }
      loraAlpha = positive("dpo.loraAlpha", loraAlpha, LoraConfig.DEFAULT_ALPHA);
      seed = seed == null ? DEFAULT_SEED : seed;
      saveSteps = positive("dpo.saveSteps", saveSteps, DEFAULT_SAVE_STEPS);
    }
  }

  /**
   * The HH-RLHF harmless pairs of the Harmless baseline.
   *
   * @param file data root id of the pairs (default {@value #DEFAULT_FILE}, the mirrored first
   *     5,000 rows of harmless-base train, last turn)
   * @param format the file's pair format (default {@code trl})
   * @param size pairs to use, a seeded sample; 0 = as many as the GenderAlign train split has
   *     (default), capped at the file's rows
   */
  public record Harmless(String file, String format, Integer size) {
    public static final String DEFAULT_FILE = "hh-rlhf-harmless-train-5000";

    public Harmless {
      file = file == null ? DEFAULT_FILE : file;
      format = format == null ? "trl" : format;
      size = size == null ? 0 : size;
      if (size < 0) {
        throw new IllegalArgumentException("harmless.size must be >= 0 (0 = the GenderAlign "
            + "train split's size), got " + size);
      }
    }
  }

  /**
   * The evaluation of the three models (Harmless is the baseline of the paired tests; the
   * summary also compares GenderAlign with Base).
   *
   * @param benchmarks comma-separated benchmark names or {@code all} (default
   *     {@value #DEFAULT_BENCHMARKS}: every likelihood benchmark, preference and perplexity)
   * @param limit at most this many items per benchmark, the first in file order; 0 = all
   *     (default {@value #DEFAULT_LIMIT})
   * @param bootstrapResamples bootstrap draws (default {@value Bootstrap#DEFAULT_RESAMPLES})
   * @param permutations paired permutation test draws (default {@value #DEFAULT_PERMUTATIONS})
   * @param seed bootstrap and permutation seed (default {@value #DEFAULT_EVAL_SEED})
   * @param batchSize sequences per forward pass (default 32)
   * @param device {@code auto} (default), {@code cpu}, {@code gpu[:N]}
   * @param dtype {@code float32} (default), or bfloat16/float16 on a GPU
   * @param preferenceSets built-in held-out preference sets (default both:
   *     {@code genderalign-release,hh-harmless-test}); the built test split is always added
   * @param generationMaxNewTokens new tokens per answer of generation-bias / ranking (default
   *     {@value #DEFAULT_MAX_NEW_TOKENS})
   * @param samples sample generations shown in the report (default {@value #DEFAULT_SAMPLES})
   * @param judges ranking judges (default {@code taxonomy})
   * @param cacheDir the scorer's cache folder; null = {@code ~/.cache/genderalign/loglik}
   */
  public record Eval(String benchmarks, Integer limit, Integer bootstrapResamples,
      Integer permutations, Long seed, Integer batchSize, String device, String dtype,
      String preferenceSets, Integer generationMaxNewTokens, Integer samples, String judges,
      String cacheDir) {
    public static final String DEFAULT_BENCHMARKS =
        "bbq-gender,crows-pairs-gender,winogender,stereoset-gender,preference,perplexity";
    public static final int DEFAULT_LIMIT = 100;
    public static final int DEFAULT_PERMUTATIONS = 2000;
    public static final long DEFAULT_EVAL_SEED = 1234;
    public static final int DEFAULT_MAX_NEW_TOKENS = 48;
    public static final int DEFAULT_SAMPLES = 3;

    public Eval {
      benchmarks = benchmarks == null ? DEFAULT_BENCHMARKS : benchmarks;
      Benchmarks.parse(benchmarks, 3); // validates every name
      limit = limit == null ? DEFAULT_LIMIT : limit;
      if (limit < 0) {
        throw new IllegalArgumentException("eval.limit must be >= 0 (0 = all), got " + limit);
      }
      bootstrapResamples = bootstrapResamples == null ? Bootstrap.DEFAULT_RESAMPLES
          : bootstrapResamples;
      if (bootstrapResamples < 1000) {
        throw new IllegalArgumentException("eval.bootstrapResamples must be at least 1000, got "
            + bootstrapResamples);
      }
      permutations = positive("eval.permutations", permutations, DEFAULT_PERMUTATIONS);
      seed = seed == null ? DEFAULT_EVAL_SEED : seed;
      batchSize = positive("eval.batchSize", batchSize, 32);
      device = device == null ? "auto" : device;
      dtype = dtype == null ? "float32" : dtype;
      preferenceSets = preferenceSets == null ? "genderalign-release,hh-harmless-test"
          : preferenceSets;
      generationMaxNewTokens = positive("eval.generationMaxNewTokens", generationMaxNewTokens,
          DEFAULT_MAX_NEW_TOKENS);
      samples = samples == null ? DEFAULT_SAMPLES : samples;
      if (samples < 0) {
        throw new IllegalArgumentException("eval.samples must be >= 0, got " + samples);
      }
      judges = judges == null ? "taxonomy" : judges;
    }
  }

  static int positive(String name, Integer v, int dflt) {
    int x = v == null ? dflt : v;
    if (x < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + x);
    }
    return x;
  }

  static long positive(String name, Long v, long dflt) {
    long x = v == null ? dflt : v;
    if (x < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + x);
    }
    return x;
  }

  static double positive(String name, Double v, double dflt) {
    double x = v == null ? dflt : v;
    if (!(x > 0) || Double.isInfinite(x)) {
      throw new IllegalArgumentException(name + " must be > 0, got " + x);
    }
    return x;
  }
}

package org.genderalign.cli.eval;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.genderalign.cli.BadUsageException;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.eval.BenchmarkOptions;
import org.genderalign.eval.EvaluationConfig;
import org.genderalign.eval.EvaluationResult;
import org.genderalign.eval.Evaluator;
import org.genderalign.eval.HeldOutSlice;
import org.genderalign.eval.benchmark.Benchmarks;
import org.genderalign.eval.generation.GenerationOptions;
import org.genderalign.eval.judge.JudgeOptions;
import org.genderalign.eval.judge.Judges;
import org.genderalign.llm.LlmEndpoint;
import org.genderalign.llm.LlmUnavailableException;
import org.genderalign.eval.stats.Bootstrap;
import org.genderalign.trainer.data.PairEncoder;
import org.genderalign.trainer.device.Devices;
import org.genderalign.trainer.score.ScorerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign eval}: the bias benchmarks on several models, with intervals and paired
 * comparisons against a baseline. Fills an {@link EvaluationConfig} and calls
 * {@link Evaluator#run}; nothing else.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Evaluate models on the bias benchmarks; write results.json, "
        + "predictions/<model>/<benchmark>.jsonl, report.md and report.html.")
public final class EvalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "NAME=M",
      description = "A model to evaluate (repeatable): NAME=stories260K, NAME=stories260K-gguf, "
          + "or NAME=PATH (checkpoint folder, Hugging Face folder, .gguf, llama2.c .bin).")
  List<String> models;

  @Option(names = "--baseline", paramLabel = "NAME",
      description = "The model every other is compared against (paired tests).")
  String baseline;

  @Option(names = "--benchmarks", paramLabel = "LIST", defaultValue = Benchmarks.ALL,
      description = "Comma-separated benchmarks or 'all' (default; ranking only with two or "
          + "more models): bbq-gender, crows-pairs-gender, winogender, stereoset-gender, "
          + "preference, perplexity, generation-bias, ranking.")
  String benchmarks;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
      description = "At most N items per benchmark, the first in file order (WinoGender: "
          + "occupations); 0 = all (default).")
  int limit;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "" + EvaluationConfig.DEFAULT_SEED,
      description = "Seed of the bootstrap and permutation draws (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--bootstrap", paramLabel = "B", defaultValue = "" + Bootstrap.DEFAULT_RESAMPLES,
      description = "Bootstrap resamples, at least 1000 (default: ${DEFAULT-VALUE}).")
  int resamples;

  @Option(names = "--permutations", paramLabel = "P",
      defaultValue = "" + Bootstrap.DEFAULT_PERMUTATIONS,
      description = "Permutations of the paired permutation test (default: ${DEFAULT-VALUE}).")
  int permutations;

  @Option(names = "--no-cache", description = "Bypass the scorer's on-disk cache.")
  boolean noCache;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "The scorer's cache folder (default: ~/.cache/genderalign/loglik).")
  Path cacheDir;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--reference", paramLabel = "NAME",
      description = "preference: the DPO reference model (by name) for implicit-reward accuracy.")
  String reference;

  @Option(names = "--preference-data", paramLabel = "NAME=FILE",
      description = "preference: a further held-out set (repeatable), e.g. built=DIR/test.jsonl.")
  List<String> preferenceData;

  @Option(names = "--preference-format", paramLabel = "F", defaultValue = "trl",
      description = "preference: format of --preference-data files (default: ${DEFAULT-VALUE}).")
  String preferenceFormat;

  @Option(names = "--preference-sets", paramLabel = "LIST",
      defaultValue = BenchmarkOptions.RELEASE + "," + BenchmarkOptions.HH_TEST,
      description = "preference: built-in sets, comma-separated (default: ${DEFAULT-VALUE}; "
          + "'none' for only --preference-data).")
  String preferenceSets;

  @Option(names = "--prompt-template", paramLabel = "T", defaultValue = "raw",
      description = "preference: prompt template as in DPO training, raw or hh (default: "
          + "${DEFAULT-VALUE}).")
  String promptTemplate;

  @Option(names = "--max-length", paramLabel = "L", defaultValue = "" + PairEncoder.DEFAULT_MAX_LENGTH,
      description = "preference: max prompt + completion tokens (default: ${DEFAULT-VALUE}, "
          + "capped at the model's context).")
  int maxLength;

  @Option(names = "--beta", paramLabel = "B", defaultValue = "" + BenchmarkOptions.DEFAULT_BETA,
      description = "preference: DPO beta of the implicit reward (default: ${DEFAULT-VALUE}).")
  double beta;

  @Option(names = "--alpaca-heldout", paramLabel = "FROM:TO",
      defaultValue = HeldOutSlice.ALPACA_DEFAULT_FROM + ":" + HeldOutSlice.ALPACA_DEFAULT_TO,
      description = "perplexity: held-out Alpaca rows (default: ${DEFAULT-VALUE}; SFT must not "
          + "train on them).")
  String alpacaHeldOut;

  @Option(names = "--prompts", paramLabel = "NAME=FILE",
      description = "generation-bias, ranking: a further prompt set (repeatable), a pair file "
          + "whose prompts the models answer, e.g. built=DIR/test.jsonl (TRL JSONL).")
  List<String> prompts;

  @Option(names = "--generation-sets", paramLabel = "LIST",
      defaultValue = GenerationOptions.RELEASE,
      description = "generation-bias, ranking: built-in prompt sets, comma-separated (default: "
          + "${DEFAULT-VALUE}, the real release's prompts; 'none' for only --prompts).")
  String generationSets;

  @Option(names = "--generation-template", paramLabel = "T",
      description = "generation-bias, ranking: prompt template of the answers: raw, hh, alpaca, "
          + "chatml, llama2-chat, llama3, mistral, zephyr, model (default: --prompt-template).")
  String generationTemplate;

  @Option(names = "--generation-max-new-tokens", paramLabel = "N",
      defaultValue = "" + GenerationOptions.DEFAULT_MAX_NEW_TOKENS,
      description = "generation-bias, ranking: new tokens per answer at most (default: "
          + "${DEFAULT-VALUE}).")
  int generationMaxNewTokens;

  @Option(names = "--generation-stop", paramLabel = "S",
      description = "generation-bias, ranking: a stop string besides the template's (repeatable).")
  List<String> generationStop;

  @Option(names = "--generation-temperature", paramLabel = "T", defaultValue = "0",
      description = "generation-bias, ranking: 0 = greedy (default), else sampling (top-p "
          + GenerationOptions.DEFAULT_TOP_P + ").")
  float generationTemperature;

  @Option(names = "--generation-seed", paramLabel = "S",
      defaultValue = "" + GenerationOptions.DEFAULT_SEED,
      description = "generation-bias, ranking: sampling seed, mixed with each prompt's id "
          + "(default: ${DEFAULT-VALUE}).")
  long generationSeed;

  @Option(names = "--generation-batch-size", paramLabel = "B",
      defaultValue = "" + GenerationOptions.DEFAULT_BATCH_SIZE,
      description = "generation-bias, ranking: prompts generated together (default: "
          + "${DEFAULT-VALUE}).")
  int generationBatchSize;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "" + GenerationOptions.DEFAULT_SAMPLES,
      description = "Sample generations shown in the report: N seeded prompts with every "
          + "model's answer (default: ${DEFAULT-VALUE}; 0 = none).")
  int samples;

  @Option(names = "--judges", paramLabel = "LIST", defaultValue = Judges.TAXONOMY,
      description = "ranking: comma-separated judges (default: ${DEFAULT-VALUE}): taxonomy (the "
          + "offline bias classifier), openai:MODEL (an LLM at --judge-url), human:FILE (a "
          + "filled sheet from --export-annotation).")
  String judges;

  @Option(names = "--judge-url", paramLabel = "URL", defaultValue = LlmEndpoint.DEFAULT_BASE_URL,
      description = "ranking: OpenAI-compatible base URL of the openai: judges (default: "
          + "${DEFAULT-VALUE}).")
  String judgeUrl;

  @Option(names = "--judge-key-env", paramLabel = "VAR", defaultValue = LlmEndpoint.DEFAULT_API_KEY_ENV,
      description = "ranking: environment variable holding the judges' API key (default: "
          + "${DEFAULT-VALUE}; or VAR_FILE naming a key file). Keys are never written anywhere.")
  String judgeKeyEnv;

  @Option(names = "--judge-key-file", paramLabel = "FILE",
      description = "ranking: a file holding the judges' API key (when the variable is unset).")
  Path judgeKeyFile;

  @Option(names = "--judge-retries", paramLabel = "N",
      defaultValue = "" + JudgeOptions.DEFAULT_PARSE_RETRIES,
      description = "ranking: correction requests after an unparseable judge reply, before the "
          + "question counts as failed (default: ${DEFAULT-VALUE}).")
  int judgeRetries;

  @Option(names = "--judge-concurrency", paramLabel = "N",
      defaultValue = "" + LlmEndpoint.DEFAULT_CONCURRENCY,
      description = "ranking: judge requests in flight (default: ${DEFAULT-VALUE}).")
  int judgeConcurrency;

  @Option(names = "--export-annotation", paramLabel = "DIR",
      description = "Write a blinded sheet for human judges (annotation.csv, INSTRUCTIONS.md; "
          + "the letter-to-model key annotation-key.json stays with the lab) into DIR.")
  Path exportAnnotation;

  @Option(names = "--device", paramLabel = "D", defaultValue = Devices.DEFAULT_DEVICE,
      description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--dtype", paramLabel = "T", defaultValue = Devices.DEFAULT_DTYPE,
      description = "float32, or bfloat16/float16 on a GPU (default: ${DEFAULT-VALUE}).")
  String dtype;

  @Option(names = "--batch-size", paramLabel = "B", defaultValue = "" + ScorerConfig.DEFAULT_BATCH_SIZE,
      description = "Sequences per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--quiet", description = "No progress bars.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    EvaluationConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
    PrintWriter err = spec.commandLine().getErr();
    EvaluationResult r;
    try {
      r = new Evaluator(err, !quiet).run(config);
    } catch (LlmUnavailableException e) {
      // the judges' endpoint is checked before any model loads: a bad --judge-url or key
      throw new BadUsageException("judge endpoint (--judge-url, --judge-key-env/-file): "
          + e.getMessage());
    }
    PrintWriter o = spec.commandLine().getOut();
    o.println("results: " + out.resolve(EvaluationResult.RESULTS_JSON));
    o.println("report:  " + out.resolve(EvaluationResult.REPORT_HTML) + " and "
        + EvaluationResult.REPORT_MD);
    o.flush();
    return r.benchmarks().isEmpty() ? 1 : 0;
  }

  /** The config these options describe; IllegalArgumentException names a bad value. */
  EvaluationConfig config() {
    Map<String, String> m = EvaluationConfig.parseModels(models);
    Map<String, Path> files = EvaluationConfig.parseNamedFiles(preferenceData, "--preference-data", false);
    List<String> sets = EvaluationConfig.parseSetList(preferenceSets);
    Map<String, Path> promptFiles = EvaluationConfig.parseNamedFiles(prompts, "--prompts", true);
    List<String> genSets = EvaluationConfig.parseSetList(generationSets);
    GenerationOptions generation = new GenerationOptions(genSets, promptFiles, null,
        generationTemplate, generationMaxNewTokens, generationStop, generationTemperature,
        generationSeed, generationBatchSize, samples);
    JudgeOptions judging = new JudgeOptions(Judges.parse(judges), JudgeOptions.endpoint(judgeUrl,
        judgeKeyEnv, judgeKeyFile, judgeConcurrency), judgeRetries,
        JudgeOptions.DEFAULT_MAX_TOKENS, exportAnnotation);
    BenchmarkOptions options = new BenchmarkOptions(sets, files, preferenceFormat, promptTemplate,
        maxLength, beta, reference, HeldOutSlice.parse(alpacaHeldOut), generation, judging);
    return new EvaluationConfig(m, baseline, Benchmarks.parse(benchmarks, m.size()), limit, seed,
        resamples,
        permutations, noCache ? null : cacheDir != null ? cacheDir : EvaluationConfig.DEFAULT_CACHE_DIR,
        out, GenderAlignCli.root(spec).dataRootOption(), device, dtype, batchSize, options);
  }
}

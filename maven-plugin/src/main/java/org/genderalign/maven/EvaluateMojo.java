package org.genderalign.maven;

import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.genderalign.eval.BenchmarkOptions;
import org.genderalign.eval.EvaluationConfig;
import org.genderalign.eval.EvaluationResult;
import org.genderalign.eval.Evaluator;
import org.genderalign.eval.HeldOutSlice;
import org.genderalign.eval.benchmark.Benchmarks;
import org.genderalign.eval.generation.GenerationOptions;
import org.genderalign.eval.judge.JudgeOptions;
import org.genderalign.eval.judge.Judges;
import org.genderalign.eval.stats.Bootstrap;
import org.genderalign.llm.LlmEndpoint;
import org.genderalign.llm.LlmUnavailableException;
import org.genderalign.trainer.data.PairEncoder;
import org.genderalign.trainer.data.PromptTemplate;
import org.genderalign.trainer.device.Devices;
import org.genderalign.trainer.score.ScorerConfig;

/**
 * {@code genderalign:evaluate} — the bias benchmarks on several models with intervals and paired
 * comparisons against a baseline, like {@code genderalign eval}: the parameters fill an
 * {@link EvaluationConfig} and {@link Evaluator#run} writes {@code out/results.json},
 * {@code report.md}, {@code report.html} and {@code predictions/}. The evaluator's log goes to
 * the Maven log.
 */
@Mojo(name = "evaluate", defaultPhase = LifecyclePhase.VERIFY, requiresProject = false, threadSafe = true)
public final class EvaluateMojo extends AbstractGenderAlignMojo {

  /**
   * The models (NAME=M each): NAME=stories260K, NAME=stories260K-gguf or NAME=PATH (a checkpoint
   * folder such as a train goal's {@code out/final}, a Hugging Face folder, .gguf, llama2.c .bin).
   */
  @Parameter(property = "genderalign.eval.models", required = true)
  List<String> models;

  /** The model every other is compared against (paired tests). */
  @Parameter(property = "genderalign.eval.baseline")
  String baseline;

  /**
   * Comma-separated benchmarks or {@code all}: bbq-gender, crows-pairs-gender, winogender,
   * stereoset-gender, preference, perplexity, generation-bias, ranking.
   */
  @Parameter(property = "genderalign.eval.benchmarks", defaultValue = Benchmarks.ALL)
  String benchmarks;

  /** At most N items per benchmark, the first in file order; 0 = all. */
  @Parameter(property = "genderalign.eval.limit", defaultValue = "0")
  int limit;

  /** Seed of the bootstrap and permutation draws. */
  @Parameter(property = "genderalign.eval.seed", defaultValue = "" + EvaluationConfig.DEFAULT_SEED)
  long seed;

  /** Bootstrap resamples, at least 1000. */
  @Parameter(property = "genderalign.eval.bootstrap", defaultValue = "" + Bootstrap.DEFAULT_RESAMPLES)
  int bootstrap;

  /** Permutations of the paired permutation test. */
  @Parameter(property = "genderalign.eval.permutations", defaultValue = "" + Bootstrap.DEFAULT_PERMUTATIONS)
  int permutations;

  /** Bypass the scorer's on-disk cache. */
  @Parameter(property = "genderalign.eval.noCache", defaultValue = "false")
  boolean noCache;

  /** The scorer's cache folder (default ~/.cache/genderalign/loglik). */
  @Parameter(property = "genderalign.eval.cacheDir")
  File cacheDir;

  /** Output folder. */
  @Parameter(property = "genderalign.eval.out", defaultValue = "${project.build.directory}/genderalign/eval",
      required = true)
  File out;

  /** preference: the DPO reference model (by name) for implicit-reward accuracy. */
  @Parameter(property = "genderalign.eval.reference")
  String reference;

  /** preference: further held-out sets, NAME=FILE each (e.g. built=DATASET/test.jsonl). */
  @Parameter(property = "genderalign.eval.preferenceData")
  List<String> preferenceData;

  /** preference: format of the preferenceData files. */
  @Parameter(property = "genderalign.eval.preferenceFormat", defaultValue = "trl")
  String preferenceFormat;

  /** preference: built-in sets, comma-separated ({@code none} for only preferenceData). */
  @Parameter(property = "genderalign.eval.preferenceSets",
      defaultValue = BenchmarkOptions.RELEASE + "," + BenchmarkOptions.HH_TEST)
  String preferenceSets;

  /** preference: prompt template as in DPO training, raw or hh. */
  @Parameter(property = "genderalign.eval.promptTemplate", defaultValue = PromptTemplate.RAW)
  String promptTemplate;

  /** preference: max prompt + completion tokens (capped at the model's context). */
  @Parameter(property = "genderalign.eval.maxLength", defaultValue = "" + PairEncoder.DEFAULT_MAX_LENGTH)
  int maxLength;

  /** preference: DPO beta of the implicit reward. */
  @Parameter(property = "genderalign.eval.beta", defaultValue = "" + BenchmarkOptions.DEFAULT_BETA)
  double beta;

  /** perplexity: held-out Alpaca rows FROM:TO (SFT must not train on them). */
  @Parameter(property = "genderalign.eval.alpacaHeldOut",
      defaultValue = HeldOutSlice.ALPACA_DEFAULT_FROM + ":" + HeldOutSlice.ALPACA_DEFAULT_TO)
  String alpacaHeldOut;

  /** generation-bias, ranking: further prompt sets, NAME=FILE each (a pair file's prompts). */
  @Parameter(property = "genderalign.eval.prompts")
  List<String> prompts;

  /** generation-bias, ranking: built-in prompt sets, comma-separated ({@code none} for only prompts). */
  @Parameter(property = "genderalign.eval.generationSets", defaultValue = GenerationOptions.RELEASE)
  String generationSets;

  /**
   * generation-bias, ranking: prompt template of the answers: raw, hh, alpaca, chatml,
   * llama2-chat, llama3, mistral, zephyr, model (default: promptTemplate).
   */
  @Parameter(property = "genderalign.eval.generationTemplate")
  String generationTemplate;

  /** generation-bias, ranking: new tokens per answer at most. */
  @Parameter(property = "genderalign.eval.generationMaxNewTokens",
      defaultValue = "" + GenerationOptions.DEFAULT_MAX_NEW_TOKENS)
  int generationMaxNewTokens;

  /** generation-bias, ranking: stop strings besides the template's. */
  @Parameter(property = "genderalign.eval.generationStop")
  List<String> generationStop;

  /** generation-bias, ranking: 0 = greedy, else sampling (top-p 0.9). */
  @Parameter(property = "genderalign.eval.generationTemperature", defaultValue = "0")
  float generationTemperature;

  /** generation-bias, ranking: sampling seed, mixed with each prompt's id. */
  @Parameter(property = "genderalign.eval.generationSeed", defaultValue = "" + GenerationOptions.DEFAULT_SEED)
  long generationSeed;

  /** generation-bias, ranking: prompts generated together. */
  @Parameter(property = "genderalign.eval.generationBatchSize",
      defaultValue = "" + GenerationOptions.DEFAULT_BATCH_SIZE)
  int generationBatchSize;

  /** Sample generations shown in the report (0 = none). */
  @Parameter(property = "genderalign.eval.samples", defaultValue = "" + GenerationOptions.DEFAULT_SAMPLES)
  int samples;

  /** ranking: comma-separated judges: taxonomy, openai:MODEL, human:FILE. */
  @Parameter(property = "genderalign.eval.judges", defaultValue = Judges.TAXONOMY)
  String judges;

  /** ranking: OpenAI-compatible base URL of the openai: judges. */
  @Parameter(property = "genderalign.eval.judgeUrl", defaultValue = LlmEndpoint.DEFAULT_BASE_URL)
  String judgeUrl;

  /** ranking: environment variable holding the judges' API key (keys are never written anywhere). */
  @Parameter(property = "genderalign.eval.judgeKeyEnv", defaultValue = LlmEndpoint.DEFAULT_API_KEY_ENV)
  String judgeKeyEnv;

  /** ranking: a file holding the judges' API key (when the variable is unset). */
  @Parameter(property = "genderalign.eval.judgeKeyFile")
  File judgeKeyFile;

  /** ranking: correction requests after an unparseable judge reply. */
  @Parameter(property = "genderalign.eval.judgeRetries", defaultValue = "" + JudgeOptions.DEFAULT_PARSE_RETRIES)
  int judgeRetries;

  /** ranking: judge requests in flight. */
  @Parameter(property = "genderalign.eval.judgeConcurrency", defaultValue = "" + LlmEndpoint.DEFAULT_CONCURRENCY)
  int judgeConcurrency;

  /** Write a blinded sheet for human judges into this folder. */
  @Parameter(property = "genderalign.eval.exportAnnotation")
  File exportAnnotation;

  /** auto, cpu, gpu or gpu:N. */
  @Parameter(property = "genderalign.eval.device", defaultValue = Devices.DEFAULT_DEVICE)
  String device;

  /** float32, or bfloat16/float16 on a GPU. */
  @Parameter(property = "genderalign.eval.dtype", defaultValue = Devices.DEFAULT_DTYPE)
  String dtype;

  /** Sequences per forward pass. */
  @Parameter(property = "genderalign.eval.batchSize", defaultValue = "" + ScorerConfig.DEFAULT_BATCH_SIZE)
  int batchSize;

  @Override
  void run() throws Exception {
    EvaluationConfig config = config();
    EvaluationResult r;
    try (PrintWriter log = MavenLog.writer(getLog())) {
      r = new Evaluator(log, false).run(config);
    } catch (LlmUnavailableException e) {
      // the judges' endpoint is checked before any model loads: a bad judgeUrl or key
      throw new MojoFailureException("judge endpoint (judgeUrl, judgeKeyEnv/-File): " + e.getMessage(), e);
    }
    getLog().info("results: " + out.toPath().resolve(EvaluationResult.RESULTS_JSON));
    getLog().info("report:  " + out.toPath().resolve(EvaluationResult.REPORT_HTML) + " and "
        + EvaluationResult.REPORT_MD);
    if (r.benchmarks().isEmpty()) {
      throw new MojoFailureException("no benchmark produced a result (see the log above)");
    }
  }

  /** The config these parameters describe; IllegalArgumentException names a bad value. */
  EvaluationConfig config() {
    Map<String, String> m = EvaluationConfig.parseModels(models == null ? List.of() : models);
    Map<String, Path> files = EvaluationConfig.parseNamedFiles(preferenceData, "preferenceData", false);
    Map<String, Path> promptFiles = EvaluationConfig.parseNamedFiles(prompts, "prompts", true);
    GenerationOptions generation = new GenerationOptions(EvaluationConfig.parseSetList(generationSets), promptFiles,
        null, generationTemplate, generationMaxNewTokens, generationStop, generationTemperature, generationSeed,
        generationBatchSize, samples);
    JudgeOptions judging = new JudgeOptions(Judges.parse(judges), JudgeOptions.endpoint(judgeUrl, judgeKeyEnv,
        judgeKeyFile == null ? null : judgeKeyFile.toPath(), judgeConcurrency), judgeRetries,
        JudgeOptions.DEFAULT_MAX_TOKENS, exportAnnotation == null ? null : exportAnnotation.toPath());
    BenchmarkOptions options = new BenchmarkOptions(EvaluationConfig.parseSetList(preferenceSets), files,
        preferenceFormat, promptTemplate, maxLength, beta, reference, HeldOutSlice.parse(alpacaHeldOut), generation,
        judging);
    return new EvaluationConfig(m, baseline, Benchmarks.parse(benchmarks, m.size()), limit, seed, bootstrap,
        permutations, noCache ? null : cacheDir != null ? cacheDir.toPath() : EvaluationConfig.DEFAULT_CACHE_DIR,
        out.toPath(), dataRoot == null ? null : dataRoot.toPath(), device, dtype, batchSize, options);
  }
}

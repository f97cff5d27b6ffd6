package org.genderalign.cli.dataset;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.builder.config.BuildConfigs;
import org.genderalign.builder.config.BuildOverrides;
import org.genderalign.builder.pipeline.BuildException;
import org.genderalign.builder.pipeline.BuildResult;
import org.genderalign.builder.pipeline.ConsoleProgress;
import org.genderalign.builder.pipeline.DatasetBuilder;
import org.genderalign.builder.pipeline.ProgressListener;
import org.genderalign.cli.BadUsageException;
import org.genderalign.cli.Check;
import org.genderalign.cli.OptionNames;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.taxonomy.DefaultBiasClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign dataset build}: builds a GenderAlign-style preference data set (seeds →
 * dialogues → filters → categories → split → export). A thin layer over
 * {@link DatasetBuilder}: the JSON config file and the flags fill the same {@link BuildConfig}.
 */
@Command(name = "build", mixinStandardHelpOptions = true,
    description = {"Build a GenderAlign-style preference data set into --out DIR: train.jsonl, test.jsonl, "
        + "genderalign.json, pairs.csv, stats.json, categories.svg, README.md (dataset card), provenance.",
        "Same seed + same inputs give byte-identical files; --resume continues a killed build."})
public final class DatasetBuildCommand implements Callable<Integer> {

  /** {@link BuildConfig} field → the option that sets it (the others come from --config). */
  static final java.util.Map<String, String> OPTIONS = java.util.Map.ofEntries(
      java.util.Map.entry("target", "--target"), java.util.Map.entry("generator", "--generator"),
      java.util.Map.entry("rejectedGenerator", "--rejected-generator"),
      java.util.Map.entry("model", "--generator-model"),
      java.util.Map.entry("modelMaxNewTokens", "--generator-max-new-tokens"),
      java.util.Map.entry("modelTemperature", "--generator-temperature"), java.util.Map.entry("seed", "--seed"),
      java.util.Map.entry("mix", "--mix"), java.util.Map.entry("threads", "--threads"),
      java.util.Map.entry("exportFormat", "--export-format"),
      java.util.Map.entry("openai.baseUrl", "--openai-base-url"), java.util.Map.entry("openai.model", "--openai-model"));

  @Spec CommandSpec spec;

  @Check.OutputDir
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Check.InputFile
  @Option(names = "--config", paramLabel = "FILE",
      description = "JSON build config (fields of BuildConfig; unnamed fields keep their defaults). Flags override it.")
  Path config;

  @Option(names = "--target", paramLabel = "N", description = "Pairs to export (default: 8000).")
  Integer target;

  @Option(names = "--generator", paramLabel = "NAME",
      description = "Backend for dialogues and rejected answers: template (offline, default) or openai.")
  String generator;

  @Option(names = "--rejected-generator", paramLabel = "NAME",
      description = "A different backend for the rejected answers: template, openai, or model (a local model, "
          + "e.g. template dialogues with --rejected-generator model, as the paper used an unaligned model).")
  String rejectedGenerator;

  @Check.Model
  @Option(names = "--generator-model", paramLabel = "M",
      description = "Local model of the model backend: a short name or a path (default: stories260K).")
  String generatorModel;

  @Option(names = "--generator-max-new-tokens", paramLabel = "N",
      description = "New tokens per answer of the model backend (default: 64).")
  Integer generatorMaxNewTokens;

  @Option(names = "--generator-temperature", paramLabel = "T",
      description = "Sampling temperature of the model backend, 0 = greedy (default: 0.8).")
  Double generatorTemperature;

  @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: 42).")
  Long seed;

  @Option(names = "--mix", paramLabel = "MODE", description = "Category mix: balanced (default), natural, weights.")
  String mix;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: 2).")
  Integer threads;

  @Option(names = "--export-format", paramLabel = "FORMAT",
      description = "Format of train.jsonl and test.jsonl: trl (TRL's standard shape, default) or "
          + "trl-conversational (TRL's conversational shape: prompt a list of messages).")
  String exportFormat;

  @Option(names = "--openai-base-url", paramLabel = "URL",
      description = "OpenAI-compatible endpoint, e.g. http://localhost:8000/v1 (vLLM) or http://localhost:11434/v1 (Ollama).")
  String openaiBaseUrl;

  @Option(names = "--openai-model", paramLabel = "NAME", description = "Model name for the openai backend.")
  String openaiModel;

  @Option(names = "--reward-model", paramLabel = "M",
      description = "Reward-margin filter with a trained reward model instead of the heuristic: a reward model "
          + "folder (train reward's final/), or self to cross-fit two on the candidates (each judges the half it "
          + "was not trained on).")
  String rewardModel;

  @Option(names = "--resume", description = "Continue the interrupted build in --out (its journals).")
  boolean resume;

  @Option(names = "--quiet", description = "No progress bar and no per-round lines; warnings and resume notes still show.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    BuildConfig cfg;
    try {
      cfg = config == null ? BuildConfig.defaults() : BuildConfigs.read(config);
      cfg = new BuildOverrides(target, generator, rejectedGenerator, generatorModel, generatorMaxNewTokens,
          generatorTemperature, seed, mix, threads, openaiBaseUrl, openaiModel, rewardModel).applyTo(cfg);
      if (exportFormat != null) {
        cfg = cfg.toBuilder().exportFormat(exportFormat).build();
      }
    } catch (IllegalArgumentException e) {
      throw OptionNames.badUsage(spec, OPTIONS, e); // the config's field names → the options as typed
    }
    DataRoot root = GenderAlignCli.root(spec).dataRoot();
    ProgressListener progress = quiet ? new MessagesOnly(err) : new ConsoleProgress(System.err, err);
    try (DefaultBiasClassifier classifier = DefaultBiasClassifier.create(root)) {
      DatasetBuilder.Options opt = DatasetBuilder.Options.of(out, root, classifier).withResume(resume)
          .withProgress(progress);
      BuildResult r;
      try {
        r = DatasetBuilder.build(cfg, opt);
      } catch (BuildException | IllegalArgumentException e) {
        throw new BadUsageException(e.getMessage());
      } catch (org.genderalign.llm.LlmUnavailableException e) {
        throw new BadUsageException(e.getMessage()); // no key, no network: one line, exit 2
      }
      o.printf(Locale.ROOT, "built %d pairs (train %d, test %d) in %s%n", r.total(), r.train(), r.test(), r.outDir());
      o.printf(Locale.ROOT, "categories: %s%n", r.categories());
      o.printf(Locale.ROOT, "drops: %s%n", r.drops());
      o.printf(Locale.ROOT, "candidates %d (%d from the journal), seeds used %d; %.1f s, %.0f pairs/s%n",
          r.candidates(), r.resumedCandidates(), r.seedsUsed(), r.seconds(), r.total() / Math.max(1e-9, r.seconds()));
      if (r.total() < cfg.target()) {
        err.printf(Locale.ROOT, "warning: only %d of the %d target pairs survived the filters (seeds exhausted)%n",
            r.total(), cfg.target());
      }
      o.flush();
      return 0;
    }
  }

  /** Progress without a bar (--quiet): only the one-line messages, no per-round details. */
  private record MessagesOnly(PrintWriter err) implements ProgressListener {
    @Override public void start(String stage, long total) { }
    @Override public void step(long n) { }
    @Override public void finish() { }
    @Override public void detail(String line) { }
    @Override public void message(String line) {
      err.println(line);
      err.flush();
    }
  }
}

package org.genderalign.maven;

import java.io.File;
import java.util.Locale;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.builder.config.BuildConfigs;
import org.genderalign.builder.config.BuildOverrides;
import org.apache.maven.plugin.MojoFailureException;
import org.genderalign.builder.pipeline.BuildException;
import org.genderalign.builder.pipeline.BuildResult;
import org.genderalign.builder.pipeline.DatasetBuilder;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.taxonomy.DefaultBiasClassifier;

/**
 * {@code genderalign:build-dataset} — builds a GenderAlign-style preference data set, like
 * {@code genderalign dataset build}: the {@code config} file and the parameters fill the same
 * {@link BuildConfig} (a parameter that is set wins over the file; one left unset keeps the
 * file's value, else the record's default), and {@link DatasetBuilder#build} does the work.
 */
@Mojo(name = "build-dataset", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, requiresProject = false,
    threadSafe = true)
public final class BuildDatasetMojo extends AbstractGenderAlignMojo {

  /** Output folder (train.jsonl, test.jsonl, genderalign.json, pairs.csv, stats.json, README.md, …). */
  @Parameter(property = "genderalign.dataset.out", defaultValue = "${project.build.directory}/genderalign/dataset",
      required = true)
  File out;

  /** JSON build config (fields of BuildConfig); the parameters below override it. */
  @Parameter(property = "genderalign.dataset.config")
  File config;

  /** Pairs to export (default 8000). */
  @Parameter(property = "genderalign.dataset.target")
  Integer target;

  /** Backend for dialogues and rejected answers: template (offline, default) or openai. */
  @Parameter(property = "genderalign.dataset.generator")
  String generator;

  /** A different backend for the rejected answers: template, openai or model. */
  @Parameter(property = "genderalign.dataset.rejectedGenerator")
  String rejectedGenerator;

  /** Local model of the model backend: a short name or a path (default stories260K). */
  @Parameter(property = "genderalign.dataset.generatorModel")
  String generatorModel;

  /** New tokens per answer of the model backend (default 64). */
  @Parameter(property = "genderalign.dataset.generatorMaxNewTokens")
  Integer generatorMaxNewTokens;

  /** Sampling temperature of the model backend, 0 = greedy (default 0.8). */
  @Parameter(property = "genderalign.dataset.generatorTemperature")
  Double generatorTemperature;

  /** Random seed (default 42). */
  @Parameter(property = "genderalign.dataset.seed")
  Long seed;

  /** Category mix: balanced (default), natural, weights. */
  @Parameter(property = "genderalign.dataset.mix")
  String mix;

  /** Worker threads (default 2). */
  @Parameter(property = "genderalign.dataset.threads")
  Integer threads;

  /** OpenAI-compatible endpoint of the openai backend. */
  @Parameter(property = "genderalign.dataset.openaiBaseUrl")
  String openaiBaseUrl;

  /** Model name for the openai backend. */
  @Parameter(property = "genderalign.dataset.openaiModel")
  String openaiModel;

  /** Reward-margin filter with a trained reward model: its folder, or {@code self} to cross-fit two. */
  @Parameter(property = "genderalign.dataset.rewardModel")
  String rewardModel;

  /** Continue the interrupted build in {@code out} (its journals). */
  @Parameter(property = "genderalign.dataset.resume", defaultValue = "false")
  boolean resume;

  @Override
  void run() throws Exception {
    BuildConfig cfg = config();
    DataRoot root = root();
    getLog().info("building " + cfg.target() + " pairs (generator " + cfg.generator() + ", seed " + cfg.seed()
        + ") into " + out);
    try (DefaultBiasClassifier classifier = DefaultBiasClassifier.create(root)) {
      DatasetBuilder.Options opt = DatasetBuilder.Options.of(out.toPath(), root, classifier).withResume(resume)
          .withProgress(MavenLog.progress(getLog()));
      BuildResult r;
      try {
        r = DatasetBuilder.build(cfg, opt);
      } catch (BuildException e) {
        throw new MojoFailureException(e.getMessage()); // bad input, as the CLI: its message alone
      }
      getLog().info(String.format(Locale.ROOT, "built %d pairs (train %d, test %d) in %s", r.total(), r.train(),
          r.test(), r.outDir()));
      getLog().info("categories: " + r.categories());
      getLog().info("drops: " + r.drops());
      getLog().info(String.format(Locale.ROOT, "candidates %d (%d from the journal), seeds used %d; %.1f s",
          r.candidates(), r.resumedCandidates(), r.seedsUsed(), r.seconds()));
      if (r.total() < cfg.target()) {
        getLog().warn(String.format(Locale.ROOT,
            "only %d of the %d target pairs survived the filters (seeds exhausted)", r.total(), cfg.target()));
      }
    }
  }

  /** The build config: the file's (or the defaults), with every parameter that is set on top. */
  BuildConfig config() throws java.io.IOException {
    BuildConfig cfg = config == null ? BuildConfig.defaults() : BuildConfigs.read(config.toPath());
    return new BuildOverrides(target, generator, rejectedGenerator, generatorModel, generatorMaxNewTokens,
        generatorTemperature, seed, mix, threads, openaiBaseUrl, openaiModel, rewardModel).applyTo(cfg);
  }
}

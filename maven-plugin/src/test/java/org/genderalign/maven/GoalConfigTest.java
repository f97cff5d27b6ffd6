package org.genderalign.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.eval.EvaluationConfig;
import org.genderalign.trainer.dpo.DpoRunConfig;
import org.genderalign.trainer.sft.SftTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The goals fill the library's config records from their parameters, and fail with the CLI's
 * one line. (The goals run for real, in Maven, in the invoker integration test.)
 */
class GoalConfigTest {

  @Test
  void buildDatasetParametersOverrideTheConfigFileField(@TempDir Path tmp) throws Exception {
    BuildDatasetMojo m = new BuildDatasetMojo();
    m.config = Files.writeString(tmp.resolve("c.json"), "{\"target\": 500, \"mix\": \"natural\"}").toFile();
    m.target = 60;
    BuildConfig c = m.config();
    assertThat(c.target()).isEqualTo(60);
    assertThat(c.mix()).isEqualTo("natural"); // from the file
    assertThat(c.seed()).isEqualTo(BuildConfig.DEFAULT_SEED); // from neither
    m.generator = "gpt5";
    assertThatThrownBy(m::config).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gpt5");
  }

  /** A train goal with the values Maven would inject as defaults (the annotations' defaultValue). */
  private static TrainMojo train(String method, Path out) {
    TrainMojo m = new TrainMojo();
    m.method = method;
    m.model = "stories260K";
    m.devices = "cpu";
    m.precision = "auto";
    m.out = out.toFile();
    m.maxLength = 512;
    m.loraAlpha = 16;
    m.loraDropout = 0.05;
    m.epochs = 1;
    m.batchSize = 8;
    m.gradAccum = 1;
    m.adamBeta1 = 0.9;
    m.adamBeta2 = 0.999;
    m.adamEpsilon = 1e-8;
    m.lrScheduler = "linear";
    m.maxGradNorm = 1;
    m.seed = 42;
    m.loggingSteps = 10;
    m.saveSteps = 500;
    m.saveTotalLimit = 2;
    m.loss = List.of("sigmoid");
    m.beta = 0.1;
    m.simpoGamma = 0.5;
    m.orpoLambda = 0.1;
    m.discopopTau = 0.05;
    m.promptTemplate = "raw";
    return m;
  }

  @Test
  void trainFillsTheRunConfigsWithEachMethodsLearningRateAndFormat(@TempDir Path tmp) {
    TrainMojo m = train("sft", tmp);
    m.steps = 4;
    SftTrainer.Config sft = m.sftConfig();
    assertThat(sft.format()).isEqualTo(SftTrainer.DEFAULT_FORMAT);
    assertThat(sft.training().optimizer().learningRate()).isEqualTo(SftTrainer.DEFAULT_LEARNING_RATE);
    assertThat(sft.training().maxSteps()).isEqualTo(4);
    assertThat(sft.lora()).isNull();
    m.loraRank = 4;
    m.learningRate = 1e-3;
    m.loss = List.of("sigmoid", "sft");
    m.lossWeights = List.of(1.0, 0.5);
    DpoRunConfig dpo = m.dpoConfig();
    assertThat(dpo.training().optimizer().learningRate()).isEqualTo(1e-3);
    assertThat(dpo.lora().rank()).isEqualTo(4);
    assertThat(dpo.lora().targets()).contains("wq", "w3");
    assertThat(dpo.loss().lossTypes()).containsExactly("sigmoid", "sft");
    assertThat(dpo.loss().lossWeights()).containsExactly(1.0, 0.5);
    assertThat(dpo.outDir()).isEqualTo(tmp);
    m.learningRate = null;
    m.lossWeights = null;
    assertThat(m.dpoConfig().training().optimizer().learningRate()).isEqualTo(1e-6);
  }

  @Test
  void trainFailuresAreTheCliLines(@TempDir Path tmp) throws Exception {
    TrainMojo bad = train("ppo", tmp);
    bad.data = tmp.resolve("none.jsonl").toFile();
    assertThatThrownBy(bad::execute).isInstanceOf(MojoFailureException.class)
        .hasMessage("bad method 'ppo'; expected sft or dpo");
    TrainMojo loss = train("dpo", tmp);
    loss.data = tmp.resolve("none.jsonl").toFile();
    loss.loss = List.of("nope");
    assertThatThrownBy(loss::execute).isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("'nope'").hasNoCause();
    TrainMojo missing = train("dpo", tmp);
    missing.data = tmp.resolve("none.jsonl").toFile();
    assertThatThrownBy(missing::execute).isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("none.jsonl").hasNoCause();
    TrainMojo empty = train("dpo", tmp);
    File e = Files.writeString(tmp.resolve("empty.jsonl"), "").toFile();
    empty.data = e;
    assertThatThrownBy(empty::execute).isInstanceOf(MojoFailureException.class)
        .hasMessage("no pairs in " + e);
  }

  @Test
  void evaluateParsesModelsAndNamedFilesLikeTheCli(@TempDir Path tmp) throws Exception {
    EvaluateMojo m = new EvaluateMojo();
    m.models = List.of("sft=stories260K", "dpo=stories260K");
    m.baseline = "sft";
    m.benchmarks = "crows-pairs-gender,preference";
    m.limit = 16;
    m.seed = 1234;
    m.bootstrap = 1000;
    m.permutations = 1000;
    m.out = tmp.toFile();
    Path test = Files.writeString(tmp.resolve("test.jsonl"), "{}\n");
    m.preferenceData = List.of("built=" + test);
    m.preferenceFormat = "trl";
    m.preferenceSets = "none";
    m.promptTemplate = "raw";
    m.maxLength = 192;
    m.beta = 0.1;
    m.alpacaHeldOut = "4500:5000";
    m.generationSets = "genderalign-release";
    m.generationMaxNewTokens = 128;
    m.generationBatchSize = 16;
    m.samples = 5;
    m.judges = "taxonomy";
    m.judgeUrl = "https://api.openai.com/v1";
    m.judgeKeyEnv = "OPENAI_API_KEY";
    m.judgeRetries = 2;
    m.judgeConcurrency = 4;
    m.device = "cpu";
    m.dtype = "float32";
    m.batchSize = 32;
    EvaluationConfig c = m.config();
    assertThat(c.models().keySet()).containsExactly("sft", "dpo");
    assertThat(c.baseline()).isEqualTo("sft");
    assertThat(c.benchmarks()).containsExactly("crows-pairs-gender", "preference");
    assertThat(c.options().preferenceSets()).isEmpty();
    assertThat(c.options().preferenceFiles()).containsEntry("built", test);
    assertThat(c.outDir()).isEqualTo(tmp);
    m.models = List.of("sft=stories260K", "oops");
    assertThatThrownBy(m::execute).isInstanceOf(MojoFailureException.class)
        .hasMessageStartingWith("malformed --model 'oops': expected NAME=M").hasNoCause();
  }
}

package org.genderalign.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binding, validation and {@code --set} errors of the pipeline config; no model is loaded. */
class PipelineConfigsTest {

  @TempDir Path tmp;

  @Test
  void theEffectiveConfigReadsBackToTheSameConfigAsYamlAndAsJson() throws Exception {
    PipelineConfig c = PipelineConfigs.load(null, List.of("dpo.beta=0.25", "eval.limit=7",
        "base.model=/models/x y", "build.target=123"));
    PipelineConfigs.writeEffective(c, tmp);
    assertThat(PipelineConfigs.load(tmp.resolve("config.yaml").toString())).isEqualTo(c);
    assertThat(PipelineConfigs.load(tmp.resolve("config.json").toString())).isEqualTo(c);
    // every setting is written, defaults included
    String yaml = Files.readString(tmp.resolve("config.yaml"));
    assertThat(yaml).contains("beta: 0.25", "limit: 7", "target: 123", "learningRate: 5.0E-5",
        "saveSteps: 5", "benchmarks: \"" + PipelineConfig.Eval.DEFAULT_BENCHMARKS + "\"");
    assertThat(c.base().model()).isEqualTo("/models/x y");
    assertThat(PipelineConfigs.load(null)).isEqualTo(PipelineConfig.defaults());
    assertThat(PipelineConfigs.load("default")).isEqualTo(PipelineConfig.defaults());
  }

  @Test
  void theTopLevelSeedIsTheDefaultOfEveryStageSeedButAnExplicitOneWins() {
    PipelineConfig c = PipelineConfigs.load(null, List.of("seed=7", "dpo.seed=3"));
    assertThat(c.build().seed()).isEqualTo(7L);
    assertThat(c.base().seed()).isEqualTo(7L);
    assertThat(c.dpo().seed()).isEqualTo(3L);
    assertThat(PipelineConfig.defaults().dpo().seed()).isEqualTo(PipelineConfig.DEFAULT_SEED);
  }

  @Test
  void anUnknownKeyNamesItselfAndTheValidKeys() {
    assertThatThrownBy(() -> PipelineConfigs.load(null, List.of("dpo.betaa=0.2")))
        .isInstanceOf(PipelineConfigException.class)
        .hasMessage("the default config: unknown setting 'dpo.betaa' (valid keys of dpo: batchSize, "
            + "beta, gradientAccumulationSteps, learningRate, loraAlpha, loraRank, loss, maxLength, "
            + "promptTemplate, saveSteps, seed, steps, warmupSteps)");
    assertThatThrownBy(() -> PipelineConfigs.load(null, List.of("stepz=1")))
        .hasMessageStartingWith("the default config: unknown setting 'stepz' (valid top-level keys: "
            + "base, build, dataRoot, devices, dpo, eval, harmless, out, precision, seed)");
    // the dataset builder's own section is checked the same way
    assertThatThrownBy(() -> PipelineConfigs.load(null, List.of("build.targt=5")))
        .hasMessageContaining("unknown setting 'build.targt'").hasMessageContaining("target");
  }

  @Test
  void badValuesAndMalformedOverridesGiveOneLineNamingTheKey() {
    assertThatThrownBy(() -> PipelineConfigs.load(null, List.of("dpo.beta=-1")))
        .hasMessage("the default config: dpo.beta must be > 0, got -1.0");
    assertThatThrownBy(() -> PipelineConfigs.load(null, List.of("dpo.steps=many")))
        .hasMessageStartingWith("the default config: setting 'dpo.steps' has the wrong type");
    assertThatThrownBy(() -> PipelineConfigs.load(null, List.of("dpo.beta")))
        .hasMessage("--set dpo.beta: expected SECTION.KEY=VALUE, e.g. dpo.beta=0.2");
    assertThatThrownBy(() -> PipelineConfigs.load(null, List.of("seed=1", "seed.x=1")))
        .hasMessage("--set seed.x=1: 'seed' is a value, not a section");
    assertThatThrownBy(() -> PipelineConfigs.load(null, List.of("seed.x=1")))
        .hasMessageStartingWith("the default config: setting 'seed' has the wrong type");
    assertThatThrownBy(() -> PipelineConfigs.load(null, List.of("eval.benchmarks=bbq")))
        .hasMessageContaining("unknown benchmark 'bbq'");
    assertThatThrownBy(() -> PipelineConfigs.load(null, List.of("dpo.loss=dpoo")))
        .hasMessageContaining("dpoo");
    assertThatThrownBy(() -> PipelineConfigs.load(null, List.of("precision=fp8")))
        .hasMessage("the default config: precision must be one of auto, fp32, bf16, got 'fp8'");
  }

  @Test
  void aFileNamesItselfInItsErrors() throws Exception {
    Path f = Files.writeString(tmp.resolve("my.yaml"), "dpo:\n  beta: 0.3\n  lr: 1\n");
    assertThatThrownBy(() -> PipelineConfigs.load(f.toString()))
        .hasMessageStartingWith(f + ": unknown setting 'dpo.lr'");
    Path bad = Files.writeString(tmp.resolve("bad.yaml"), "dpo: [1,\n");
    assertThatThrownBy(() -> PipelineConfigs.load(bad.toString()))
        .hasMessageStartingWith("config file " + bad + " line ");
    assertThatThrownBy(() -> PipelineConfigs.load(tmp.resolve("none.yaml").toString()))
        .hasMessage("config file " + tmp.resolve("none.yaml") + " not found (or give a preset: "
            + "default, paper)");
    Path json = Files.writeString(tmp.resolve("c.json"), "{\"dpo\": {\"beta\": 0.3}}");
    assertThat(PipelineConfigs.load(json.toString(), List.of("dpo.steps=5")).dpo())
        .extracting(PipelineConfig.Dpo::beta, PipelineConfig.Dpo::steps).containsExactly(0.3, 5L);
  }

  @Test
  void thePaperPresetIsThePapersRecipe() {
    PipelineConfig p = PipelineConfigs.load("paper", List.of("base.model=/m/llama"));
    assertThat(p.dpo().loraRank()).isEqualTo(256);
    assertThat(p.dpo().beta()).isEqualTo(0.1);
    assertThat(p.dpo().learningRate()).isEqualTo(1e-4);
    assertThat(p.dpo().batchSize()).isEqualTo(1);
    assertThat(p.dpo().gradientAccumulationSteps()).isEqualTo(16);
    assertThat(p.dpo().steps()).isEqualTo(100L);
    assertThat(p.precision()).isEqualTo("bf16");
    assertThat(p.base().model()).isEqualTo("/m/llama");
    assertThat(p.eval().limit()).isZero();
    assertThat(p.build().target()).isEqualTo(8000);
  }

  @Test
  void aStagesConfigHashChangesWithItsSettingsOnly() {
    PipelineConfig a = PipelineConfig.defaults();
    PipelineConfig b = PipelineConfigs.load(null, List.of("dpo.beta=0.2"));
    assertThat(PipelineConfigs.hash(a.base())).isEqualTo(PipelineConfigs.hash(b.base()));
    assertThat(PipelineConfigs.hash(a.dpo())).isNotEqualTo(PipelineConfigs.hash(b.dpo()));
    assertThat(PipelineConfigs.hash(a.dpo())).isEqualTo(PipelineConfigs.hash(
        PipelineConfigs.load(null, List.of("dpo.beta=0.1")).dpo())).hasSize(64);
  }
}

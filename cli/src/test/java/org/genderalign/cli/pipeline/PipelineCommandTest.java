package org.genderalign.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.genderalign.cli.CliRun;
import org.genderalign.pipeline.PipelineConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI face of the pipeline: options become the config (the pipeline itself is proved in the
 * pipeline module's tests), {@code run} is the same command, a failing stage is one line, exit 2.
 */
class PipelineCommandTest {

  @TempDir Path tmp;

  @Test
  void optionsFillTheConfigAndAFailingStageStopsWithOneLine() throws Exception {
    Path out = tmp.resolve("p");
    Path none = tmp.resolve("no-mirror");
    CliRun r = CliRun.of("--data-root", none.toString(), "run", "--out", out.toString(),
        "--config", "paper", "--set", "dpo.steps=7", "--set", "base.model=/m/llama");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err().lines()).as(r.err()).hasSize(1);
    assertThat(r.err()).startsWith("error: ").contains(none.toString());
    assertThat(r.out()).contains("== verify: running");
    // the effective config is written before any stage: the preset, the overrides, the options
    var cfg = PipelineConfigs.load(out.resolve("config.yaml").toString());
    assertThat(cfg.dpo().steps()).isEqualTo(7L);
    assertThat(cfg.dpo().loraRank()).isEqualTo(256);
    assertThat(cfg.base().model()).isEqualTo("/m/llama");
    assertThat(cfg.out()).isEqualTo(out.toString());
    assertThat(cfg.dataRoot()).isEqualTo(none.toString());
    assertThat(out.resolve("build")).doesNotExist();
  }

  @Test
  void helpNamesTheConfigAndSetOptions() {
    CliRun r = CliRun.of("pipeline", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("--config", "--set", "--out", "paper");
  }
}

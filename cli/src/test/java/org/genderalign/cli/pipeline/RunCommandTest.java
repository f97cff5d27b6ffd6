package org.genderalign.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.genderalign.cli.CliRun;
import org.genderalign.core.dataroot.DataRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

  @TempDir Path tmp;

  @Test
  void theMainJobRunsEndToEndAndARerunSkipsFinishedSteps() throws Exception {
    Path out = tmp.resolve("run");
    String root = DataRoot.fromEnvironment().dir().toString();
    String[] args = {"--data-root", root, "run", "--out", out.toString(), "--target", "120",
        "--steps", "2", "--eval-pairs", "8", "--max-length", "128"};
    CliRun r = CliRun.of(args);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("== 1/5", "== 2/5", "== 3/5", "== 4/5", "== 5/5");
    JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(s.at("/implicit_reward_vs_base/pairs").asInt()).isEqualTo(8);
    double acc = s.at("/implicit_reward_vs_base/accuracy").asDouble();
    assertThat(acc).isBetween(0.0, 1.0);
    assertThat(s.at("/models").size()).isEqualTo(2);
    assertThat(s.at("/provenance/gitRevision").asText()).isNotBlank();
    assertThat(Files.readString(out.resolve("summary.md"))).contains("| genderalign-dpo | 8 |");

    CliRun again = CliRun.of(args);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("2/5 build the data set: done earlier",
        "3/5 align the model with DPO: done earlier", "with the aligned model: done earlier");
  }

  @Test
  void aFailingStepStopsTheRunWithItsExitCodeAndSaysHowToContinue() {
    CliRun r = CliRun.of("--data-root", tmp.resolve("empty").toString(), "run", "--out",
        tmp.resolve("run").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("step '1/5 verify the data root' failed (exit 2)");
    assertThat(tmp.resolve("run/dataset")).doesNotExist();
  }
}

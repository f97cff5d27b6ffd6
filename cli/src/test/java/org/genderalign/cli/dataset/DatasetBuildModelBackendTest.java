package org.genderalign.cli.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.genderalign.cli.GenderAlignCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dataset build --rejected-generator model}: the local-model backend from the CLI. */
class DatasetBuildModelBackendTest {

  static int run(StringWriter out, StringWriter err, String... args) {
    return GenderAlignCli.run(args, new PrintWriter(out), new PrintWriter(err));
  }

  @Test
  void buildsWithModelRejectedAnswersAndRejectsModelDialogues(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("ds");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, "dataset", "build", "--out", dir.toString(), "--generator", "template",
        "--rejected-generator", "model", "--generator-model", "stories260K", "--generator-max-new-tokens", "16",
        "--generator-temperature", "0.5", "--target", "40", "--quiet");
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("built 40 pairs");
    assertThat(Files.readString(dir.resolve("build-config.json"))).contains("\"rejectedGenerator\" : \"model\"")
        .contains("\"modelMaxNewTokens\" : 16").contains("\"modelTemperature\" : 0.5");
    assertThat(Files.readString(dir.resolve("train.jsonl"))).contains("\"rejected_model\":\"stories260K\"");

    StringWriter err2 = new StringWriter();
    int bad = run(new StringWriter(), err2, "dataset", "build", "--out", tmp.resolve("x").toString(),
        "--generator", "model");
    assertThat(bad).isEqualTo(2);
    assertThat(err2.toString()).contains("rejected answers only");
  }
}

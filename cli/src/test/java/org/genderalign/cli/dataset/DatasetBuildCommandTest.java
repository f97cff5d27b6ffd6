package org.genderalign.cli.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.core.format.PairFiles;
import org.genderalign.core.format.TrlFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetBuildCommandTest {

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = GenderAlignCli.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void buildsASmallDataSetWithConfigFileAndFlagOverrides(@TempDir Path tmp) throws Exception {
    Path cfg = Files.writeString(tmp.resolve("cfg.json"), "{\"target\": 5000, \"mix\": \"natural\", \"seed\": 3}");
    Path out = tmp.resolve("ds");
    Run r = run("dataset", "build", "--out", out.toString(), "--config", cfg.toString(), "--target", "120", "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("built 120 pairs").contains("pairs/s").contains("categories:");
    assertThat(Files.readString(out.resolve("build-config.json"))).contains("\"target\" : 120")
        .contains("\"mix\" : \"natural\"").contains("\"seed\" : 3");
    assertThat(out.resolve("train.jsonl")).isNotEmptyFile();
    assertThat(out.resolve("README.md")).content().contains("## Filters");
  }

  @Test
  void exportFormatWritesTheSplitsConversationallyWithTheSamePairs(@TempDir Path tmp) throws Exception {
    Path std = tmp.resolve("std");
    Path conv = tmp.resolve("conv");
    assertThat(run("dataset", "build", "--out", std.toString(), "--target", "40", "--quiet").code()).isZero();
    Run r = run("dataset", "build", "--out", conv.toString(), "--target", "40", "--quiet",
        "--export-format", "trl-conversational");
    assertThat(r.code()).as(r.err()).isZero();
    String first = Files.readAllLines(conv.resolve("train.jsonl")).get(0);
    assertThat(first).contains("\"prompt\":[{\"role\":\"user\",\"content\":")
        .contains("\"chosen\":[{\"role\":\"assistant\",\"content\":");
    for (String split : new String[] {"train.jsonl", "test.jsonl"}) {
      assertThat(PairFiles.readAll(conv.resolve(split), new TrlFormat()))
          .isEqualTo(PairFiles.readAll(std.resolve(split), new TrlFormat()));
    }
    assertThat(Files.readString(conv.resolve("build-config.json"))).contains("\"exportFormat\" : \"trl-conversational\"");
    assertThat(Files.readString(std.resolve("build-config.json"))).doesNotContain("exportFormat");
    assertThat(conv.resolve("README.md")).content().contains("TRL conversational preference format");
    Run bad = run("dataset", "build", "--out", tmp.resolve("b").toString(), "--export-format", "parquet");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--export-format").contains("trl-conversational");
  }

  @Test
  void badConfigAndBadFlagsExitTwoWithOneLine(@TempDir Path tmp) throws Exception {
    Path cfg = Files.writeString(tmp.resolve("cfg.json"), "{\"targt\": 5}");
    Run r = run("dataset", "build", "--out", tmp.resolve("x").toString(), "--config", cfg.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("cfg.json: unknown config field 'targt'");
    Run g = run("dataset", "build", "--out", tmp.resolve("y").toString(), "--generator", "gpt5");
    assertThat(g.code()).isEqualTo(2);
    assertThat(g.err()).contains("--generator: must be one of");
    Run t = run("dataset", "build", "--out", tmp.resolve("z").toString(), "--target", "0");
    assertThat(t.code()).isEqualTo(2);
    assertThat(t.err().strip().lines().count()).isEqualTo(1);
  }
}

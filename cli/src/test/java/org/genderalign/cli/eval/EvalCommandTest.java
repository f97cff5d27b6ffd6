package org.genderalign.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.genderalign.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {

  /** Exit 2 and exactly one line, naming the problem. */
  private static void badInput(CliRun r, String... expected) {
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    List<String> lines = r.err().lines().filter(l -> !l.contains("WARN")).toList();
    assertThat(lines).as(r.err()).hasSize(1);
    assertThat(lines.get(0)).startsWith("error: ").contains(expected);
  }

  @Test
  void badInputExitsTwoWithOneLineNamingTheProblemAndTheChoices(@TempDir Path dir) {
    String out = dir.resolve("o").toString();
    badInput(CliRun.of("eval", "--model", "a=stories260K", "--benchmarks", "bbq-gender,nope",
        "--out", out), "unknown benchmark 'nope'", "bbq-gender, crows-pairs-gender", "all");
    badInput(CliRun.of("eval", "--model", "stories260K", "--out", out),
        "malformed --model 'stories260K'", "NAME=M");
    badInput(CliRun.of("eval", "--model", "a=stories260K", "--model", "a=stories260K-gguf",
        "--out", out), "duplicate model name 'a'");
    badInput(CliRun.of("eval", "--model", "a=stories260K", "--baseline", "harmless", "--out",
        out), "baseline 'harmless' is not one of the models (a)");
    badInput(CliRun.of("eval", "--model", "a=stories260K", "--bootstrap", "10", "--out", out),
        "at least 1000");
    assertThat(Files.exists(dir.resolve("o"))).isFalse();
  }

  @Test
  void badGenerationAndJudgeOptionsExitTwoBeforeAnyModelLoads(@TempDir Path dir) {
    String out = dir.resolve("o").toString();
    String[] two = {"eval", "--model", "a=stories260K", "--model", "b=stories260K-gguf",
        "--benchmarks", "generation-bias,ranking", "--out", out};
    badInput(run(two, "--judges", "nope"), "unknown judge 'nope' in --judges (valid: taxonomy, "
        + "openai:MODEL, human:FILE)");
    badInput(run(two, "--judges", "taxonomy,openai:"), "judge 'openai:' in --judges needs a "
        + "model: openai:MODEL");
    badInput(run(two, "--judges", "taxonomy,taxonomy"), "judge 'taxonomy' named twice");
    badInput(run(two, "--judges", "human:" + dir.resolve("missing.csv")), "no such file",
        "missing.csv");
    badInput(run(two, "--judge-url", "ftp://example.org"), "--judge-url must start with "
        + "http:// or https://");
    badInput(run(two, "--judge-key-file", dir.resolve("nokey").toString()),
        "--judge-key-file", "no such file");
    badInput(run(two, "--judge-retries", "-1"), "--judge-retries must be 0..10");
    badInput(run(two, "--generation-max-new-tokens", "0"),
        "--generation-max-new-tokens must be >= 1: 0");
    badInput(run(two, "--generation-template", "nope"), "unknown --generation-template 'nope' "
        + "(known: raw, hh, alpaca");
    badInput(run(two, "--generation-batch-size", "0"), "--generation-batch-size must be >= 1");
    badInput(run(two, "--generation-sets", "nope"), "unknown prompt set 'nope' (built in: "
        + "genderalign-release");
    badInput(run(two, "--generation-sets", "none"), "no prompt set");
    badInput(run(two, "--prompts", "built"), "malformed --prompts 'built': expected NAME=FILE");
    badInput(run(two, "--prompts", "built=" + dir.resolve("none.jsonl")), "--prompts built=",
        "no such file");
    badInput(run(two, "--samples", "-1"), "--samples must be >= 0");
    badInput(CliRun.of("eval", "--model", "a=stories260K", "--benchmarks", "ranking", "--out",
        out), "the ranking benchmark needs at least two models");
    // an endpoint that cannot be reached is found before any model loads or file is written
    badInput(run(two, "--judges", "openai:judge", "--judge-url", "http://127.0.0.1:1/v1"),
        "judge endpoint (--judge-url", "cannot reach http://127.0.0.1:1/v1");
    assertThat(Files.exists(dir.resolve("o"))).isFalse();
  }

  private static CliRun run(String[] base, String... more) {
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return CliRun.of(all);
  }

  @Test
  void generationBenchmarksExportASheetAndAMalformedFilledSheetExitsTwo(@TempDir Path dir)
      throws Exception {
    Path sheetDir = dir.resolve("sheet");
    CliRun r = CliRun.of("eval", "--model", "a=stories260K", "--model", "b=stories260K-gguf",
        "--baseline", "a", "--benchmarks", "generation-bias,ranking", "--limit", "2",
        "--generation-max-new-tokens", "8", "--permutations", "20", "--samples", "2", "--quiet",
        "--export-annotation", sheetDir.toString(), "--out", dir.resolve("o").toString());
    assertThat(r.code()).as(r.err()).isZero();
    String md = Files.readString(dir.resolve("o/report.md"));
    assertThat(md).contains("**Table 2").contains("| model | taxonomy |")
        .contains("## Sample generations");
    assertThat(dir.resolve("o/predictions/a/generations-genderalign-release.jsonl")).exists();
    Path sheet = sheetDir.resolve("annotation.csv");
    List<String> lines = Files.readAllLines(sheet);
    assertThat(lines.get(0)).isEqualTo("question_id,question,answer_A,answer_B,rank_A,rank_B,"
        + "comment");
    // an annotator types a word where a rank belongs
    String filled = Files.readString(sheet).replaceFirst(",,,\r\n", ",first,2,\r\n");
    Files.writeString(sheet, filled);
    CliRun bad = CliRun.of("eval", "--model", "a=stories260K", "--model", "b=stories260K-gguf",
        "--benchmarks", "ranking", "--limit", "2", "--generation-max-new-tokens", "8",
        "--judges", "taxonomy,human:" + sheet, "--out", dir.resolve("o2").toString());
    badInput(bad, "annotation.csv line 2: field 'rank_A': expected a whole number from 1 to 2 "
        + "(1 = least biased) or empty, got 'first'");
    assertThat(Files.exists(dir.resolve("o2"))).isFalse();
  }

  @Test
  void aMissingDataFileGivesTheDataRootsMessage(@TempDir Path dir) throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty-root"));
    Files.createDirectory(empty.resolve("data")); // a mirror with files missing, not no mirror at all
    badInput(CliRun.of("--data-root", empty.toString(), "eval", "--model", "a=stories260K",
        "--benchmarks", "crows-pairs-gender", "--out", dir.resolve("o").toString()),
        "is missing: expected", "crows_pairs_anonymized.csv");
  }

  @Test
  void evaluatesWritesTheOutputsAndReusesThemOnARerun(@TempDir Path dir) throws Exception {
    String[] args = {"eval", "--model", "a=stories260K", "--model", "b=stories260K-gguf",
        "--baseline", "a", "--benchmarks", "crows-pairs-gender", "--limit", "4",
        "--permutations", "20", "--no-cache", "--quiet", "--out", dir.toString()};
    CliRun first = CliRun.of(args);
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("results.json").contains("report.html");
    for (String f : List.of("results.json", "report.md", "report.html",
        "predictions/a/crows-pairs-gender.jsonl", "predictions/b/crows-pairs-gender.jsonl")) {
      assertThat(dir.resolve(f)).exists();
    }
    assertThat(Files.readAllLines(dir.resolve("predictions/b/crows-pairs-gender.jsonl")))
        .hasSize(4);
    CliRun again = CliRun.of(args);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.err()).contains("a / crows-pairs-gender: reusing")
        .contains("b / crows-pairs-gender: reusing");
  }
}

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
  void aMissingDataFileGivesTheDataRootsMessage(@TempDir Path dir) throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty-root"));
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

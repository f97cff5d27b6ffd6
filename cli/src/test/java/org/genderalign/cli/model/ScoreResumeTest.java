package org.genderalign.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.genderalign.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code score --resume}: the pairs an interrupted run already wrote to {@code OUT.partial} are
 * kept (not scored again — a planted value survives), a line cut by the interruption is scored
 * again, and the result equals an uninterrupted run; with nothing to resume it says so.
 */
class ScoreResumeTest {

  @TempDir Path dir;

  @Test
  void resumeKeepsWhatWasScoredAndEndsLikeAnUninterruptedRun() throws Exception {
    Path in = dir.resolve("pairs.jsonl");
    StringBuilder sb = new StringBuilder();
    String[] names = {"Lily", "Tom", "Sue", "Ben", "Mia", "Max", "Ann", "Sam", "Zoe", "Tim", "Kim", "Joe"};
    for (int i = 0; i < names.length; i++) {
      String prompt = i == 7 ? "Once upon a time ".repeat(10) : "Once upon a time, " + names[i] + " met a dog.";
      sb.append("{\"id\":\"p").append(i).append("\",\"prompt\":\"").append(prompt)
          .append("\",\"chosen\":\" They played.\",\"rejected\":\" It ran off.\"}\n");
    }
    Files.writeString(in, sb);
    String[] common = {"score", "--model", "stories260K", "--in", in.toString(), "--max-length", "24",
        "--batch-size", "4"};

    Path a = dir.resolve("a.jsonl");
    CliRun straight = CliRun.of(concat(common, "--out", a.toString()));
    assertThat(straight.code()).as(straight.err()).isZero();
    List<String> lines = Files.readAllLines(a);
    assertThat(lines).hasSize(11); // p7's prompt fills --max-length: dropped aside

    // an interrupted run: 5 pairs written, the 6th cut mid-line; one kept value planted
    Path b = dir.resolve("b.jsonl");
    List<String> partial = new ArrayList<>(lines.subList(0, 5));
    String planted = partial.get(2).replaceFirst("\"chosen_logp\":-?[0-9.Ee-]+", "\"chosen_logp\":123.5");
    assertThat(planted).isNotEqualTo(partial.get(2));
    partial.set(2, planted);
    Files.writeString(dir.resolve("b.jsonl.partial"), String.join("\n", partial) + "\n"
        + lines.get(5).substring(0, lines.get(5).length() / 2));
    CliRun resumed = CliRun.of(concat(common, "--out", b.toString(), "--resume"));
    assertThat(resumed.code()).as(resumed.err()).isZero();
    // truncation is counted among the pairs this run scored (a 24-token budget cuts some answers)
    assertThat(resumed.err()).containsPattern("scored 11 pairs \\(5 resumed\\), [0-6] truncated, 1 dropped");
    List<String> expected = new ArrayList<>(lines);
    expected.set(2, planted); // kept as written, not scored again
    assertThat(Files.readAllLines(b)).isEqualTo(expected);
    assertThat(Files.readString(dir.resolve("b.jsonl.dropped.jsonl")))
        .isEqualTo(Files.readString(dir.resolve("a.jsonl.dropped.jsonl")));
    assertThat(dir.resolve("b.jsonl.partial")).doesNotExist();
    assertThat(dir.resolve("b.jsonl.dropped.jsonl.partial")).doesNotExist();
    assertThat(dir.resolve("b.jsonl.provenance.json")).exists();

    // --resume with nothing to resume: said, then a full run
    Path c = dir.resolve("c.jsonl");
    CliRun fresh = CliRun.of(concat(common, "--out", c.toString(), "--resume"));
    assertThat(fresh.code()).as(fresh.err()).isZero();
    assertThat(fresh.err()).contains("resume: no c.jsonl.partial from an interrupted run; scoring from the start")
        .contains("scored 11 pairs (0 resumed)");
    assertThat(Files.readAllLines(c)).isEqualTo(lines);
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

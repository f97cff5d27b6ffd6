package org.genderalign.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.genderalign.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandsTest {

  @Test
  void generateFromBosIsGreedyAndPrintsLlama2csText() {
    CliRun r = CliRun.of("generate", "--model", "stories260K", "--prompt", "",
        "--max-tokens", "30");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("Once upon a time, there was a little girl named Lily.");
    assertThat(r.err()).contains("30 new tokens");
  }

  @Test
  void generateWithTemplateStopStringsAndAPromptsFile(@TempDir Path dir) throws Exception {
    CliRun plain = CliRun.of("generate", "--model", "stories260K", "--prompt", "Once upon a time",
        "--max-new-tokens", "30");
    assertThat(plain.code()).as(plain.err()).isZero();
    int at = plain.out().indexOf(" girl");
    assertThat(at).as(plain.out()).isPositive();
    CliRun stopped = CliRun.of("generate", "--model", "stories260K", "--prompt",
        "Once upon a time", "--max-new-tokens", "30", "--stop", " girl");
    assertThat(stopped.code()).as(stopped.err()).isZero();
    assertThat(stopped.out().strip()).isEqualTo(plain.out().substring(0, at));
    assertThat(stopped.err()).contains("finished by stop");

    Path prompts = dir.resolve("prompts.txt");
    Files.writeString(prompts, "Tom had a red\nLily\nOnce upon a time\n");
    CliRun many = CliRun.of("generate", "--model", "stories260K", "--prompts", prompts.toString(),
        "--template", "hh", "--max-new-tokens", "8", "--batch-size", "2", "--temperature", "1",
        "--seed", "3");
    assertThat(many.code()).as(many.err()).isZero();
    assertThat(many.out().strip().split("\n")).hasSize(3);
    assertThat(many.err()).contains("3 prompts");
    // a model without a chat_template cannot use --template model; unknown names are usage errors
    assertThat(CliRun.of("generate", "--model", "stories260K", "--prompt", "x", "--template",
        "model").code()).isEqualTo(2);
    assertThat(CliRun.of("generate", "--model", "stories260K", "--prompt", "x", "--template",
        "nope").code()).isEqualTo(2);
    assertThat(CliRun.of("generate", "--model", "stories260K").code()).isEqualTo(2);
  }

  @Test
  void generateRejectsBadOptionsWithExitTwo() {
    assertThat(CliRun.of("generate", "--model", "stories260K", "--prompt", "x",
        "--temperature", "-1").code()).isEqualTo(2);
    CliRun missing = CliRun.of("generate", "--model", "/no/such/model.bin", "--prompt", "x");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("no such file");
  }

  @Test
  void scoreAddsLogProbsAndTokenCountsAndWritesDroppedPairsAside(@TempDir Path dir)
      throws Exception {
    Path in = dir.resolve("pairs.jsonl");
    String longPrompt = "Once upon a time ".repeat(10);
    Files.writeString(in,
        "{\"id\":\"a\",\"prompt\":\"Once upon a time\",\"chosen\":\" there was a cat.\","
            + "\"rejected\":\" the sky fell\",\"note\":\"kept\"}\n"
            + "{\"id\":\"b\",\"prompt\":\"" + longPrompt + "\",\"chosen\":\" x\","
            + "\"rejected\":\" y\"}\n");
    Path out = dir.resolve("scored.jsonl");
    Path cache = dir.resolve("cache");
    CliRun r = CliRun.of("score", "--model", "stories260K", "--in", in.toString(), "--out",
        out.toString(), "--max-length", "20", "--cache-dir", cache.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("2 requests: 0 from cache, 2 computed in 1 forward passes");
    String text = Files.readString(out);
    assertThat(text).contains("\"id\":\"a\"").contains("\"note\":\"kept\"")
        .contains("\"chosen_logp\":-").contains("\"rejected_logp\":-")
        .contains("\"chosen_tokens\":").contains("\"rejected_tokens\":")
        .doesNotContain("\"id\":\"b\"");
    assertThat(r.err()).contains("1 dropped");
    assertThat(Files.readString(dir.resolve("scored.jsonl.dropped.jsonl")))
        .contains("\"id\":\"b\"").contains("drop_reason");
    assertThat(dir.resolve("scored.jsonl.provenance.json")).exists();
    assertThat(dir.resolve("scored.jsonl.partial")).doesNotExist();

    // a second run answers from the cache, with the same numbers; --no-cache computes again
    Path again = dir.resolve("again.jsonl");
    CliRun hit = CliRun.of("score", "--model", "stories260K", "--in", in.toString(), "--out",
        again.toString(), "--max-length", "20", "--cache-dir", cache.toString());
    assertThat(hit.code()).as(hit.err()).isZero();
    assertThat(hit.err()).contains("2 from cache, 0 computed in 0 forward passes");
    assertThat(Files.readString(again)).isEqualTo(text);
    CliRun cold = CliRun.of("score", "--model", "stories260K", "--in", in.toString(), "--out",
        dir.resolve("cold.jsonl").toString(), "--max-length", "20", "--no-cache");
    assertThat(cold.code()).as(cold.err()).isZero();
    assertThat(cold.err()).contains("0 from cache, 2 computed").contains("cache: off");
    assertThat(Files.readString(dir.resolve("cold.jsonl"))).isEqualTo(text);
  }

  @Test
  void scoreReportsTruncationAndNeverGoesPastTheModelsContext(@TempDir Path dir)
      throws Exception {
    Path in = dir.resolve("pairs.jsonl");
    Files.writeString(in, "{\"id\":\"a\",\"prompt\":\"Once upon a time\",\"chosen\":\""
        + " there was a cat who liked to play in the park with the dog.\",\"rejected\":\" no\"}\n");
    Path out = dir.resolve("scored.jsonl");
    CliRun past = CliRun.of("score", "--model", "stories260K", "--in", in.toString(), "--out",
        out.toString(), "--max-length", "513", "--no-cache");
    assertThat(past.code()).isEqualTo(2);
    assertThat(past.err()).contains("--max-length must be in [2, 512]");
    CliRun cut = CliRun.of("score", "--model", "stories260K", "--in", in.toString(), "--out",
        out.toString(), "--max-length", "12", "--no-cache");
    assertThat(cut.code()).as(cut.err()).isZero();
    assertThat(cut.err()).contains("scored 1 pairs (0 resumed), 1 truncated, 0 dropped");
    CliRun both = CliRun.of("score", "--model", "stories260K", "--in", in.toString(), "--out",
        out.toString(), "--no-cache", "--cache-dir", dir.toString());
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("--no-cache and --cache-dir exclude each other");
  }
}

package org.genderalign.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.genderalign.cli.GenderAlignCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = GenderAlignCli.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  static Path genderAlign() {
    return org.genderalign.core.dataroot.DataRoot.fromEnvironment().dir()
        .resolve("data/genderalign/GenderAlign.partial-101.json");
  }

  @Test
  void dpoWithLoraOnGenderAlignStartsAtLn2AndWritesALoadableModel() throws Exception {
    Path out = tmp.resolve("run");
    Run r = run("train", "dpo", "--model", "stories260K", "--data", genderAlign().toString(),
        "--data-format", "genderalign", "--eval-fraction", "0.05", "--out", out.toString(), "--steps", "2",
        "--batch-size", "2", "--max-length", "96", "--lora-rank", "4", "--lr", "1e-3", "--logging-steps", "1",
        "--no-progress");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("trained 2 steps", "reference: adapters off", "final model");
    String first = Files.readAllLines(out.resolve("metrics.jsonl")).get(0);
    Map<?, ?> rec = new ObjectMapper().readValue(first, Map.class);
    assertThat(((Number) rec.get("loss")).doubleValue()).isCloseTo(Math.log(2), org.assertj.core.api.Assertions.within(1e-6));
    assertThat(Files.exists(out.resolve("final/model.safetensors"))).isTrue();
    assertThat(Files.exists(out.resolve("final/adapter/adapter_config.json"))).isTrue();
    // the final model loads as a --model
    Run again = run("train", "dpo", "--model", out.resolve("final").toString(), "--data", genderAlign().toString(),
        "--data-format", "genderalign", "--out", tmp.resolve("run2").toString(), "--steps", "1", "--batch-size", "1",
        "--max-length", "64", "--loss", "simpo", "--no-progress");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("reference: none");
  }

  @Test
  void sftOnAlpacaRecords() throws Exception {
    Path data = tmp.resolve("a.json");
    Files.writeString(data, "[{\"instruction\":\"Say hi.\",\"input\":\"\",\"output\":\"Hi there.\"},"
        + "{\"instruction\":\"Count.\",\"input\":\"to three\",\"output\":\"One, two, three.\"}]");
    Run r = run("train", "sft", "--model", "stories260K", "--data", data.toString(), "--out", tmp.resolve("sft").toString(),
        "--steps", "2", "--batch-size", "2", "--lr", "1e-3", "--max-length", "320", "--no-progress");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("trained 2 steps on 2 examples", "mean_token_accuracy");
  }

  @Test
  void badUsageIsOneLineAndExitTwo() {
    Run r = run("train", "dpo", "--model", "stories260K", "--data", genderAlign().toString(), "--out",
        tmp.resolve("x").toString(), "--loss", "nope");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown loss 'nope'");
    assertThat(run("train", "dpo", "--model", "stories260K", "--data", genderAlign().toString(), "--out",
        tmp.resolve("x").toString(), "--preset", "huge").code()).isEqualTo(2);
    assertThat(run("train", "dpo", "--model", "stories260K", "--data", genderAlign().toString(), "--out",
        tmp.resolve("x").toString(), "--devices", "gpu7").code()).isEqualTo(2);
    assertThat(run("train", "sft", "--model", "stories260K", "--data", genderAlign().toString(), "--out",
        tmp.resolve("x").toString(), "--format", "hh").code()).isEqualTo(2);
  }
}

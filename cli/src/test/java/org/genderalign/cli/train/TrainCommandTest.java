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
    assertThat(r.err()).contains("unknown --loss 'nope'");
    assertThat(run("train", "dpo", "--model", "stories260K", "--data", genderAlign().toString(), "--out",
        tmp.resolve("x").toString(), "--preset", "huge").code()).isEqualTo(2);
    assertThat(run("train", "dpo", "--model", "stories260K", "--data", genderAlign().toString(), "--out",
        tmp.resolve("x").toString(), "--devices", "gpu7").code()).isEqualTo(2);
    assertThat(run("train", "sft", "--model", "stories260K", "--data", genderAlign().toString(), "--out",
        tmp.resolve("x").toString(), "--format", "hh").code()).isEqualTo(2);
  }

  @Test
  void mpoPresetTrainsTheMixtureAndLogsEachComponent() throws Exception {
    Path out = tmp.resolve("mpo");
    Run r = run("train", "dpo", "--model", "stories260K", "--data", genderAlign().toString(),
        "--data-format", "genderalign", "--out", out.toString(), "--preset", "mpo", "--steps", "2",
        "--batch-size", "2", "--max-length", "64", "--lora-rank", "4", "--logging-steps", "1", "--no-progress");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("loss/sigmoid", "loss/bco_pair", "nll_loss");
    Map<?, ?> first = new ObjectMapper().readValue(Files.readAllLines(out.resolve("metrics.jsonl")).get(0), Map.class);
    double sigmoid = ((Number) first.get("loss/sigmoid")).doubleValue();
    double bco = ((Number) first.get("loss/bco_pair")).doubleValue();
    double nll = ((Number) first.get("nll_loss")).doubleValue();
    assertThat(sigmoid).isCloseTo(Math.log(2), org.assertj.core.api.Assertions.within(1e-6));
    assertThat(bco).isCloseTo(2 * Math.log(2), org.assertj.core.api.Assertions.within(1e-6));
    assertThat(((Number) first.get("loss")).doubleValue())
        .isCloseTo(0.8 * sigmoid + 0.2 * bco + nll, org.assertj.core.api.Assertions.within(1e-5));
    Map<?, ?> prov = new ObjectMapper().readValue(out.resolve("provenance.json").toFile(), Map.class);
    assertThat(prov.toString()).contains("bco_pair", "0.8", "learningRate=5.0E-6");
    // explicit options win over the recipe's
    Run own = run("train", "dpo", "--model", "stories260K", "--data", genderAlign().toString(),
        "--data-format", "genderalign", "--out", tmp.resolve("own").toString(), "--preset", "mpo", "--loss",
        "sigmoid,sft", "--loss-weights", "1,0.5", "--ld-alpha", "0.5", "--steps", "1", "--batch-size", "2",
        "--max-length", "64", "--lora-rank", "4", "--no-progress");
    assertThat(own.code()).as(own.err()).isZero();
    assertThat(own.out()).contains("loss/sigmoid", "nll_loss").doesNotContain("bco_pair");
  }

  @Test
  void ktoOnGenderAlignPairsUnpairedStartsAtOneHalf() throws Exception {
    Path out = tmp.resolve("kto");
    Run r = run("train", "kto", "--model", "stories260K", "--data", genderAlign().toString(),
        "--data-format", "genderalign", "--eval-fraction", "0.05", "--out", out.toString(), "--steps", "2",
        "--batch-size", "4", "--max-length", "64", "--lora-rank", "4", "--logging-steps", "1", "--no-progress");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("trained 2 steps", "desirable", "reference: adapters off", "kl", "final model");
    Map<?, ?> first = new ObjectMapper().readValue(Files.readAllLines(out.resolve("metrics.jsonl")).get(0), Map.class);
    assertThat(((Number) first.get("loss")).doubleValue()).isCloseTo(0.5, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(first.keySet().stream().map(Object::toString).toList())
        .contains("kl", "rewards/chosen", "rewards/rejected", "logps/chosen");
    // unpaired data in TRL's format
    Path data = tmp.resolve("u.jsonl");
    Files.writeString(data, "{\"prompt\":\"Tom is\",\"completion\":\" kind.\",\"label\":true}\n"
        + "{\"prompt\":\"Sue is\",\"completion\":\" mean.\",\"label\":false}\n"
        + "{\"prompt\":\"Ben is\",\"completion\":\" nice.\",\"label\":true}\n");
    Run u = run("train", "kto", "--model", "stories260K", "--data", data.toString(), "--out",
        tmp.resolve("u").toString(), "--steps", "1", "--batch-size", "3", "--loss", "apo_zero_unpaired",
        "--no-progress");
    assertThat(u.code()).as(u.err()).isZero();
    assertThat(u.out()).contains("3 examples (2 desirable, 1 undesirable", "reference: frozen copy");
  }

  @Test
  void badLossOptionsAreOneLineAndExitTwo() throws Exception {
    String[] base = {"train", "dpo", "--model", "stories260K", "--data", genderAlign().toString(), "--data-format",
        "genderalign", "--out", tmp.resolve("x").toString()};
    java.util.function.Function<String[], Run> with = extra -> {
      String[] a = java.util.Arrays.copyOf(base, base.length + extra.length);
      System.arraycopy(extra, 0, a, base.length, extra.length);
      return run(a);
    };
    assertThat(with.apply(new String[] {"--loss", "sigmoid,sft", "--loss-weights", "1"}).err()).contains("same length");
    assertThat(with.apply(new String[] {"--loss", "exo_pair"}).err()).contains("exo_pair needs --label-smoothing");
    assertThat(with.apply(new String[] {"--loss", "sigmoid", "--label-smoothing", "0.1"}).err()).contains("cdpo");
    assertThat(with.apply(new String[] {"--loss", "aot", "--use-weighting"}).err()).contains("sorts the batch");
    assertThat(with.apply(new String[] {"--ld-alpha", "2"}).code()).isEqualTo(2);
    assertThat(with.apply(new String[] {"--preset", "nope"}).err()).contains("known: paper, mpo");
    Run kto = run("train", "kto", "--model", "stories260K", "--data", genderAlign().toString(), "--data-format",
        "genderalign", "--out", tmp.resolve("k").toString(), "--batch-size", "1");
    assertThat(kto.code()).isEqualTo(2);
    assertThat(kto.err()).contains("batch size of at least 2");
    Run fmt = run("train", "kto", "--model", "stories260K", "--data", genderAlign().toString(), "--data-format",
        "alpaca", "--out", tmp.resolve("k").toString());
    assertThat(fmt.code()).isEqualTo(2);
    assertThat(fmt.err()).contains("unknown format 'alpaca'");
  }
}

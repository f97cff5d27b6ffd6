package org.genderalign.cli.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.genderalign.cli.CliRun;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.data.SftExample;
import org.genderalign.core.format.AlpacaFormat;
import org.genderalign.core.format.PairFiles;
import org.genderalign.core.format.RecordReader;
import org.genderalign.core.format.TrlFormat;
import org.genderalign.core.testing.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCommandTest {

  @TempDir Path tmp;

  private List<String> listing() throws Exception {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void importsHhTestWithTheMismatchWarning() throws Exception {
    Path out = tmp.resolve("hh.jsonl");
    CliRun r = CliRun.of("dataset", "import", "--format", "hh", "--in",
        RealData.file("hh-rlhf-harmless-test").toString(), "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines()).containsExactly(
        "imported 2312, skipped 0 (hh → trl: " + out + ")",
        "warning: 5 pairs have chosen and rejected transcripts that differ before the last Assistant turn; "
            + "kept the chosen's prompt (metadata prompt_mismatch=true, rejected_prompt)");
    List<PreferencePair> ps = PairFiles.readAll(out, new TrlFormat());
    assertThat(ps).hasSize(2312);
    assertThat(ps.get(0).id()).isEqualTo("test-1");
    JsonNode prov = new ObjectMapper().readTree(tmp.resolve("hh.jsonl.provenance.json").toFile());
    assertThat(prov.get("tool").asText()).isEqualTo("dataset import");
    assertThat(prov.get("config").get("imported").asLong()).isEqualTo(2312);
    assertThat(prov.get("inputs").get("test.jsonl.gz").asText()).hasSize(64);
  }

  @Test
  void importsHhToTrlsConversationalShape() throws Exception {
    Path std = tmp.resolve("std.jsonl");
    Path conv = tmp.resolve("conv.jsonl");
    String hh = RealData.file("hh-rlhf-harmless-test").toString();
    assertThat(CliRun.of("dataset", "import", "--format", "hh", "--in", hh, "--out", std.toString()).code()).isZero();
    CliRun r = CliRun.of("dataset", "import", "--format", "hh", "--in", hh, "--out", conv.toString(),
        "--to", "trl-conversational");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("imported 2312, skipped 0 (hh → trl-conversational: ");
    // HH's multi-turn prompts become alternating messages; the pairs are those of the standard import
    assertThat(Files.readAllLines(conv)).anySatisfy(l -> assertThat(l).contains("{\"role\":\"assistant\",")
        .startsWith("{\"id\":").contains("\"prompt\":[{\"role\":\"user\""));
    assertThat(PairFiles.readAll(conv, new TrlFormat())).isEqualTo(PairFiles.readAll(std, new TrlFormat()));
    CliRun back = CliRun.of("dataset", "import", "--format", "trl-conversational", "--in", conv.toString(),
        "--out", tmp.resolve("back.jsonl").toString());
    assertThat(back.code()).as(back.err()).isZero();
    assertThat(Files.mismatch(std, tmp.resolve("back.jsonl"))).isEqualTo(-1L);
    CliRun bad = CliRun.of("dataset", "import", "--format", "alpaca", "--in", hh, "--out",
        tmp.resolve("x.jsonl").toString(), "--to", "trl-conversational");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).isEqualTo("error: --to applies to preference pairs; --format alpaca is SFT data, "
        + "written as Alpaca JSONL\n");
  }

  @Test
  void importsGenderAlignAndHhTrainAndAlpaca() throws Exception {
    Path ga = tmp.resolve("ga.jsonl");
    CliRun r = CliRun.of("dataset", "import", "--format", "genderalign",
        "--in", RealData.file("genderalign-partial").toString(), "--out", ga.toString());
    assertThat(r.out()).startsWith("imported 101, skipped 0 (genderalign → trl: ");
    assertThat(Files.readAllLines(ga).get(0)).startsWith("{\"id\":\"GenderAlign.partial-101-0\",\"prompt\":\"Okay, but")
        .endsWith("\"source\":\"genderalign-release\",\"count\":1}");

    Path tr = tmp.resolve("train.jsonl");
    CliRun t = CliRun.of("dataset", "import", "--format", "trl",
        "--in", RealData.file("hh-rlhf-harmless-train-5000").toString(), "--out", tr.toString());
    assertThat(t.out()).startsWith("imported 5000, skipped 0 (trl → trl: ");

    Path al = tmp.resolve("alpaca.jsonl");
    CliRun a = CliRun.of("dataset", "import", "--format", "alpaca",
        "--in", RealData.file("alpaca-5000").toString(), "--out", al.toString());
    assertThat(a.out()).startsWith("imported 5000, skipped 0 (alpaca → alpaca (JSONL): ");
    try (RecordReader<SftExample> rd = new AlpacaFormat().reader(al)) {
      assertThat(rd.next().id()).isEqualTo("alpaca_5000-0");
    }
    assertThat(Files.readAllLines(al).get(0)).startsWith("{\"id\":\"alpaca_5000-0\",\"instruction\":\"Are the two");
  }

  @Test
  void badInputExitsTwoWithOneLineAndWritesNothing() throws Exception {
    Path in = tmp.resolve("pairs.jsonl");
    Files.writeString(in, "{\"prompt\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\"}\n{\"prompt\":\"q\",\"chosen\":\"a\n");
    Path out = tmp.resolve("out.jsonl");
    CliRun r = CliRun.of("dataset", "import", "--format", "trl", "--in", in.toString(), "--out", out.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("error: pairs.jsonl line 2: invalid JSON (unexpected end of input)\n");
    assertThat(r.out()).isEmpty();
    assertThat(listing()).containsExactly("pairs.jsonl");
  }

  @Test
  void skipWritesRejectsAndSaysSo() throws Exception {
    Path in = tmp.resolve("pairs.csv");
    Files.writeString(in, "prompt,chosen,rejected\nq,a,b\nq2,a2\nq3,a3,b3\n", StandardCharsets.UTF_8);
    Path out = tmp.resolve("out.jsonl");
    CliRun r = CliRun.of("dataset", "import", "--format", "csv", "--in", in.toString(), "--out", out.toString(),
        "--on-error", "skip");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines()).containsExactly("imported 2, skipped 1 (csv → trl: " + out + ")",
        "rejected records: " + tmp.resolve("out.jsonl.rejects.jsonl"));
    assertThat(Files.readString(tmp.resolve("out.jsonl.rejects.jsonl"))).isEqualTo(
        "{\"line\":3,\"reason\":\"pairs.csv line 3: expected 3 cells (header: prompt,chosen,rejected), got 2\","
            + "\"raw\":\"q2,a2\"}\n");
    assertThat(PairFiles.readAll(out, new TrlFormat())).extracting(PreferencePair::id)
        .containsExactly("pairs-2", "pairs-4");
  }

  @Test
  void wrongFormatWithSkipWarnsThatEverythingWasRejected() throws Exception {
    Path out = tmp.resolve("out.jsonl");
    CliRun r = CliRun.of("dataset", "import", "--format", "genderalign", "--on-error", "skip",
        "--in", RealData.file("alpaca-5000").toString(), "--out", out.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out().lines()).containsExactly("imported 0, skipped 5000 (genderalign → trl: " + out + ")",
        "rejected records: " + tmp.resolve("out.jsonl.rejects.jsonl"),
        "warning: every record was rejected; is --format genderalign right for alpaca_5000.json?");
    assertThat(Files.readAllLines(tmp.resolve("out.jsonl.rejects.jsonl")).get(0)).startsWith(
        "{\"item\":0,\"reason\":\"alpaca_5000.json item 0: field 'chosen': missing (expected a string) (line 1)\"");
  }

  @Test
  void badUsage() throws Exception {
    Path in = tmp.resolve("x.jsonl");
    Files.writeString(in, "");
    CliRun unknown = CliRun.of("dataset", "import", "--format", "parquet", "--in", in.toString(), "--out", "o");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).isEqualTo("error: unknown --format 'parquet'; known: genderalign, hh, trl, csv, trl-conversational "
        + "(preference pairs), alpaca, trl-chosen (SFT)\n");
    CliRun policy = CliRun.of("dataset", "import", "--format", "trl", "--in", in.toString(), "--out", "o",
        "--on-error", "ignore");
    assertThat(policy.code()).isEqualTo(2);
    assertThat(policy.err()).isEqualTo("error: --on-error must be fail or skip, not 'ignore'\n");
    CliRun missing = CliRun.of("dataset", "import", "--format", "trl", "--in", tmp.resolve("nope").toString(),
        "--out", "o");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).isEqualTo("error: --in " + tmp.resolve("nope") + ": no such file\n");
    CliRun same = CliRun.of("dataset", "import", "--format", "trl", "--in", in.toString(), "--out", in.toString());
    assertThat(same.code()).isEqualTo(2);
    assertThat(same.err()).startsWith("error: --out must differ from --in");
    CliRun gz = CliRun.of("dataset", "import", "--format", "trl", "--in", in.toString(),
        "--out", tmp.resolve("o.jsonl.gz").toString());
    assertThat(gz.code()).isEqualTo(2);
    assertThat(gz.err()).contains("gzip output is not supported");
    CliRun empty = CliRun.of("dataset", "import", "--format", "trl", "--in", in.toString(),
        "--out", tmp.resolve("e.jsonl").toString());
    assertThat(empty.code()).isEqualTo(2);
    assertThat(empty.err()).isEqualTo("error: no pairs in " + in + "\n");
    assertThat(tmp.resolve("e.jsonl")).doesNotExist();
    assertThat(tmp.resolve("e.jsonl.provenance.json")).doesNotExist();
  }

  @Test
  void statsAsTextAndJson() throws Exception {
    Path in = tmp.resolve("p.jsonl");
    Files.writeString(in, String.join("\n",
        "{\"prompt\":\"are nurses women\",\"chosen\":\"anyone can be a nurse\",\"rejected\":\"yes\",\"category\":\"stereotypes\"}",
        "{\"prompt\":\"are nurses women\",\"chosen\":\"anyone can be a nurse\",\"rejected\":\"yes\",\"category\":\"stereotypes\"}",
        "{\"prompt\":\"q\",\"chosen\":\"a b\",\"rejected\":\"a b\",\"source\":\"builder\"}") + "\n");
    CliRun t = CliRun.of("dataset", "stats", "--in", in.toString());
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(t.out()).contains(in + " (trl): 3 pairs")
        .containsPattern("prompt\\s+1\\s+3\\s+3\\s+3\\s+2\\.3")
        .containsPattern("chosen\\s+2\\s+5\\s+5\\s+5\\s+4\\.0")
        .contains("distinct prompts: 2; duplicate prompts: 1; duplicate pairs: 1; chosen == rejected: 1")
        .containsPattern("stereotypes\\s+2\\s+66\\.7%")
        .containsPattern("\\(none\\)\\s+1\\s+33\\.3%")
        .containsPattern("builder\\s+1\\s+33\\.3%")
        .containsPattern("trl\\s+2\\s+66\\.7%");

    CliRun j = CliRun.of("dataset", "stats", "--in", RealData.file("genderalign-partial").toString(),
        "--format", "genderalign", "--json");
    assertThat(j.code()).isZero();
    JsonNode doc = new ObjectMapper().readTree(j.out());
    assertThat(doc.get("format").asText()).isEqualTo("genderalign");
    JsonNode s = doc.get("stats");
    assertThat(s.get("pairs").asLong()).isEqualTo(101);
    assertThat(s.get("sources").get("genderalign-release").asLong()).isEqualTo(101);
    assertThat(s.get("prompt").get("min").asInt()).isPositive();
    assertThat(s.get("prompt").get("median").asInt()).isBetween(s.get("prompt").get("min").asInt(),
        s.get("prompt").get("p90").asInt());
    // The shortcut audit of the release sample is the release sample's own column.
    JsonNode audit = doc.get("shortcut_audit");
    assertThat(audit.at("/data_set/chosen_longer").asInt()).isEqualTo(41);
    assertThat(audit.at("/data_set/chosen/distinct_2").asDouble()).isEqualTo(0.6595);
    assertThat(audit.at("/data_set/tokens/over").asInt()).isEqualTo(36);
    assertThat(audit.get("data_set")).isEqualTo(audit.get("release_sample"));
    assertThat(audit.at("/warnings/0").asText()).startsWith("length budget: 36 of 101 pairs");

    CliRun a = CliRun.of("dataset", "stats", "--in", in.toString(), "--max-length", "8");
    assertThat(a.code()).as(a.err()).isZero();
    assertThat(a.out()).contains("shortcut audit (diversity: mean of 10 samples of 101 pairs; tokens: stories260K")
        .containsPattern("longer answer is the chosen one\\s+66\\.7% \\(ties 33\\.3%\\)\\s+40\\.6% \\(ties 1\\.0%\\)")
        .containsPattern("pairs over 8 tokens\\s+66\\.7% \\(2\\)")
        .contains("warning: repetition: only 2 of 3 chosen answers (66.7%) are distinct");
    CliRun bad = CliRun.of("dataset", "stats", "--in", in.toString(), "--max-length", "1");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).isEqualTo("error: --max-length: must be at least 2, got 1\n");
  }

  @Test
  void statsOnBadInputOrSftFormat() throws Exception {
    Path in = tmp.resolve("hh.jsonl");
    Files.writeString(in, "{\"chosen\":\"\\n\\nHuman: q\",\"rejected\":\"\\n\\nHuman: q\\n\\nAssistant: b\"}\n");
    CliRun r = CliRun.of("dataset", "stats", "--in", in.toString(), "--format", "hh");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: hh.jsonl line 1: field 'chosen': no '\\n\\nAssistant:' turn");
    CliRun sft = CliRun.of("dataset", "stats", "--in", in.toString(), "--format", "alpaca");
    assertThat(sft.code()).isEqualTo(2);
    assertThat(sft.err()).isEqualTo("error: --format: unknown preference-pair format 'alpaca'; known: "
        + "genderalign, hh, trl, csv, trl-conversational ('alpaca' is an SFT format)\n");
  }
}

package org.genderalign.cli.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.genderalign.cli.CliRun;
import org.genderalign.core.dataroot.DataRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaxonomyCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static String root() {
    return DataRoot.fromEnvironment().dir().toString();
  }

  @Test
  void describePrintsEveryCategoryAndLexiconSources() {
    CliRun r = CliRun.of("--data-root", root(), "taxonomy", "describe", "--lexicons");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("stereotypes - Stereotypes", "discriminatory_language",
        "occupational_educational_sexism", "marginalized_gender_bias", "none - No gender bias",
        "includes:", "excludes:", "lgbtq_terms", "project-authored", "lexicon-bls-occupations");
  }

  @Test
  void classifyAddsTheIssueFieldsAndSkipsBadLinesAside(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("pairs.jsonl");
    Files.writeString(in, String.join("\n",
        "{\"id\":\"a\",\"prompt\":\"Are women worse at maths than men?\",\"chosen\":\"No, maths ability does not depend on gender.\",\"rejected\":\"Yes, women are naturally worse at maths than men.\"}",
        "{\"id\":\"b\",\"prompt\":\"broken\"",
        "{\"id\":\"c\",\"prompt\":\"How do I boil an egg?\",\"chosen\":\"Boil it for nine minutes.\",\"rejected\":\"Put it in the microwave.\"}",
        ""));
    Path out = dir.resolve("out.jsonl");
    CliRun fail = CliRun.of("--data-root", root(), "taxonomy", "classify", "--in", in.toString(), "--out", out.toString());
    assertThat(fail.code()).isEqualTo(2);
    assertThat(fail.err()).contains("pairs.jsonl line 2");
    assertThat(out).doesNotExist();

    CliRun r = CliRun.of("--data-root", root(), "taxonomy", "classify", "--in", in.toString(),
        "--out", out.toString(), "--on-error", "skip", "--threads", "2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("classified 2 pairs, skipped 1");
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(2);
    JsonNode a = JSON.readTree(lines.get(0));
    assertThat(a.get("id").asText()).isEqualTo("a");
    assertThat(a.get("chosen_category").asText()).isEqualTo("none");
    assertThat(a.get("rejected_category").asText()).isEqualTo("stereotypes");
    assertThat(a.get("rejected_confidence").asDouble()).isBetween(0.2, 1.0);
    assertThat(a.get("gender_related").asBoolean()).isTrue();
    assertThat(a.get("explanation").get("rejected").get("neighbours")).isNotEmpty();
    JsonNode c = JSON.readTree(lines.get(1));
    assertThat(c.get("gender_related").asBoolean()).isFalse();
    assertThat(c.get("rejected_category").asText()).isEqualTo("none");
    assertThat(Files.readString(dir.resolve("out.jsonl.rejects.jsonl"))).contains("\"line\":2");
    assertThat(dir.resolve("out.jsonl.provenance.json")).exists();
  }

  @Test
  void evaluateCrossValidatesByDefaultAndTestsALabelledFile(@TempDir Path dir) throws Exception {
    CliRun cv = CliRun.of("--data-root", root(), "taxonomy", "evaluate", "--folds", "3",
        "--report", dir.resolve("cv.json").toString());
    assertThat(cv.code()).as(cv.err()).isZero();
    assertThat(cv.out()).contains("3-fold cross-validation on the shipped exemplars", "macro-F1 =",
        "confusion (rows = gold", "precision");
    assertThat(JSON.readTree(dir.resolve("cv.json").toFile()).get("metrics").get("macro_f1").asDouble())
        .isGreaterThan(0.6);

    Path labelled = dir.resolve("labelled.jsonl");
    Files.writeString(labelled, String.join("\n",
        "{\"id\":\"1\",\"question\":\"Can girls be engineers?\",\"answer\":\"Of course, engineering skill has nothing to do with gender.\",\"label\":\"none\"}",
        "{\"id\":\"2\",\"question\":\"Should trans people get health care?\",\"answer\":\"No, being trans is a mental illness and they should not get hormones.\",\"label\":\"marginalized_gender_bias\"}",
        ""));
    CliRun test = CliRun.of("--data-root", root(), "taxonomy", "evaluate", "--in", labelled.toString());
    assertThat(test.code()).as(test.err()).isZero();
    assertThat(test.out()).contains("tested on labelled.jsonl (2 items)", "n = 2");

    Files.writeString(labelled, "{\"id\":\"1\",\"answer\":\"x\",\"label\":\"sexism\"}\n");
    CliRun bad = CliRun.of("--data-root", root(), "taxonomy", "evaluate", "--in", labelled.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("labelled.jsonl line 1: field 'label'");
  }

  @Test
  void auditReportsGenderRelatedCountMixAndFlaggedPairs(@TempDir Path dir) throws Exception {
    Path in = DataRoot.fromEnvironment().file("genderalign-partial");
    Path out = dir.resolve("flagged.jsonl");
    CliRun r = CliRun.of("--data-root", root(), "taxonomy", "audit", "--in", in.toString(),
        "--format", "genderalign", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("pairs: 101", "gender-related:", "category mix", "rejected");
    JsonNode rep = JSON.readTree(dir.resolve("flagged.jsonl.report.json").toFile());
    assertThat(rep.get("pairs").asLong()).isEqualTo(101);
    assertThat(rep.get("gender_related").asLong()).isGreaterThan(90);
    long flagged = rep.get("flagged_biased_chosen").asLong();
    assertThat(Files.readAllLines(out)).hasSize((int) flagged);
    assertThat(flagged).isLessThan(11);
  }

  @Test
  void badUsageExitsTwoWithOneLine(@TempDir Path dir) throws Exception {
    CliRun r = CliRun.of("--data-root", root(), "taxonomy", "audit", "--in", dir.resolve("nope.jsonl").toString(),
        "--format", "trl", "--out", dir.resolve("o.jsonl").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no such file");
    Path exists = Files.writeString(dir.resolve("exists.jsonl"),
        "{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": \"b\"}\n");
    CliRun f = CliRun.of("--data-root", root(), "taxonomy", "classify", "--in", exists.toString(), "--out",
        dir.resolve("y").toString(), "--on-error", "maybe");
    assertThat(f.code()).isEqualTo(2);
    assertThat(f.err()).contains("--on-error must be fail or skip");
    CliRun b = CliRun.of("--data-root", root(), "taxonomy", "bench", "--pairs", "0");
    assertThat(b.code()).isEqualTo(2);
  }

  @Test
  void benchPrintsThroughput() {
    CliRun r = CliRun.of("--data-root", root(), "taxonomy", "bench", "--pairs", "40", "--threads", "2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("classifier start-up", "answers/s");
  }
}

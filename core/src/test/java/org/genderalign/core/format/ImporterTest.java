package org.genderalign.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.data.SftExample;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.testing.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImporterTest {

  @TempDir Path dir;

  private static final String GOOD = "{\"prompt\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\"}";
  private static final String BAD_LINES = GOOD + "\n{\"prompt\":\"q\"\n" + GOOD + "\n{\"prompt\":\"q\",\"chosen\":\"a\"}\n"
      + GOOD + "\n";

  private List<String> dirListing() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void failPolicyLeavesNothingAtTheOutput() throws Exception {
    Path in = Files2.text(dir, "in.jsonl", BAD_LINES);
    Path out = dir.resolve("out.jsonl");
    assertThatThrownBy(() -> Importer.run(new TrlFormat(), in, new TrlFormat(), out, ErrorPolicy.FAIL))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("in.jsonl line 2: invalid JSON (unexpected end of input)");
    assertThat(dirListing()).containsExactly("in.jsonl");
  }

  @Test
  void failPolicyKeepsAnEarlierOutputUntouched() throws Exception {
    Path in = Files2.text(dir, "in.jsonl", BAD_LINES);
    Path out = Files2.text(dir, "out.jsonl", "old\n");
    assertThatThrownBy(() -> Importer.run(new TrlFormat(), in, new TrlFormat(), out, ErrorPolicy.FAIL))
        .isInstanceOf(InvalidInputException.class);
    assertThat(Files.readString(out)).isEqualTo("old\n");
    assertThat(dirListing()).containsExactly("in.jsonl", "out.jsonl");
  }

  @Test
  void skipPolicyWritesRejectsAndCounts() throws Exception {
    Path in = Files2.text(dir, "in.jsonl", BAD_LINES);
    Path out = dir.resolve("out.jsonl");
    ImportResult r = Importer.run(new TrlFormat(), in, new TrlFormat(), out, ErrorPolicy.SKIP);
    assertThat(r.summary()).isEqualTo("imported 3, skipped 2");
    assertThat(r.rejects()).isEqualTo(dir.resolve("out.jsonl.rejects.jsonl"));
    assertThat(PairFiles.readAll(out, new TrlFormat())).extracting(PreferencePair::id)
        .containsExactly("in-1", "in-3", "in-5");
    List<String> rejects = Files.readAllLines(r.rejects());
    assertThat(rejects).hasSize(2);
    ObjectMapper om = new ObjectMapper();
    JsonNode first = om.readTree(rejects.get(0));
    assertThat(first.get("line").asLong()).isEqualTo(2);
    assertThat(first.get("reason").asText()).isEqualTo("in.jsonl line 2: invalid JSON (unexpected end of input)");
    assertThat(first.get("raw").asText()).isEqualTo("{\"prompt\":\"q\"");
    JsonNode second = om.readTree(rejects.get(1));
    assertThat(second.get("line").asLong()).isEqualTo(4);
    assertThat(second.get("reason").asText()).contains("field 'rejected': missing");
    assertThat(dirListing()).containsExactly("in.jsonl", "out.jsonl", "out.jsonl.rejects.jsonl");

    // A clean re-import removes the stale rejects file.
    Path clean = Files2.text(dir, "clean.jsonl", GOOD + "\n");
    ImportResult r2 = Importer.run(new TrlFormat(), clean, new TrlFormat(), out, ErrorPolicy.SKIP);
    assertThat(r2.summary()).isEqualTo("imported 1, skipped 0");
    assertThat(r2.rejects()).isNull();
    assertThat(dirListing()).containsExactly("clean.jsonl", "in.jsonl", "out.jsonl");
  }

  @Test
  void skipPolicyUsesItemIndexesForArrays() throws Exception {
    Path in = Files2.text(dir, "a.json", "[{\"instruction\":\"i\",\"output\":\"o\"},{\"instruction\":1,\"output\":\"o\"},"
        + "\"nope\",{\"instruction\":\"j\",\"output\":\"p\"}]");
    Path out = dir.resolve("a.jsonl");
    ImportResult r = Importer.run(new AlpacaFormat(), in, new AlpacaFormat(), out, ErrorPolicy.SKIP);
    assertThat(r.summary()).isEqualTo("imported 2, skipped 2");
    List<String> rejects = Files.readAllLines(r.rejects());
    assertThat(rejects.get(0)).startsWith("{\"item\":1,\"reason\":\"a.json item 1: field 'instruction': expected a string, got a number");
    assertThat(rejects.get(1)).startsWith("{\"item\":2,\"reason\":\"a.json item 2: expected a JSON object, got a string");
    assertThat(Files2.readAll(new AlpacaFormat(), out)).extracting(SftExample::instruction).containsExactly("i", "j");
  }

  @Test
  void unrecoverableErrorsFailEvenWhenSkipping() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      sb.append(GOOD).append('\n');
    }
    byte[] gz = Files2.gzip(Files2.utf8(sb.toString()));
    Path in = Files2.bytes(dir, "in.jsonl.gz", Arrays.copyOf(gz, gz.length - 20));
    Path out = dir.resolve("out.jsonl");
    assertThatThrownBy(() -> Importer.run(new TrlFormat(), in, new TrlFormat(), out, ErrorPolicy.SKIP))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("in.jsonl.gz: truncated or corrupt gzip stream");
    assertThat(dirListing()).containsExactly("in.jsonl.gz");

    Path obj = Files2.text(dir, "ga.json", "{\"count\":1}");
    assertThatThrownBy(() -> Importer.run(new GenderAlignFormat(), obj, new TrlFormat(), out, ErrorPolicy.SKIP))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("expected a JSON array at the top level");
    assertThat(dirListing()).containsExactly("ga.json", "in.jsonl.gz");
  }

  @Test
  void skipGoesOnAfterAnInvalidUtf8Line() throws Exception {
    Path in = Files2.bytes(dir, "in.jsonl", Files2.concat(Files2.utf8(GOOD + "\n{\"prompt\":\"x"),
        new byte[] {(byte) 0xFF}, Files2.utf8("\",\"chosen\":\"a\",\"rejected\":\"b\"}\n" + GOOD + "\n")));
    Path out = dir.resolve("out.jsonl");
    ImportResult r = Importer.run(new TrlFormat(), in, new TrlFormat(), out, ErrorPolicy.SKIP);
    assertThat(r.summary()).isEqualTo("imported 2, skipped 1");
    JsonNode rej = new ObjectMapper().readTree(Files.readAllLines(r.rejects()).get(0));
    assertThat(rej.get("reason").asText()).isEqualTo(
        "in.jsonl line 2: invalid UTF-8 (malformed byte sequence at byte 12 of the line)");
    assertThat(rej.get("raw").asText()).startsWith("{\"prompt\":\"x\uFFFD\"");
    assertThat(PairFiles.readAll(out, new TrlFormat())).extracting(PreferencePair::id).containsExactly("in-1", "in-3");
  }

  @Test
  void headerOnlyCsvIsAnErrorThatWritesNothing() throws Exception {
    Path in = Files2.text(dir, "h.csv", "prompt,chosen,rejected\r\n");
    Path out = dir.resolve("o.jsonl");
    assertThatThrownBy(() -> Importer.run(new CsvFormat(), in, new TrlFormat(), out, ErrorPolicy.FAIL))
        .isInstanceOf(InvalidInputException.class).hasMessage("no pairs in " + in);
    assertThat(out).doesNotExist();
  }

  @Test
  void emptyInputIsAnErrorThatWritesNothingAndKeepsTheEarlierOutput() throws Exception {
    Path in = Files2.text(dir, "empty.jsonl", "");
    Path out = dir.resolve("out.jsonl");
    Files.writeString(out, "earlier\n");
    assertThatThrownBy(() -> Importer.run(new HhFormat(), in, new TrlFormat(), out, ErrorPolicy.SKIP))
        .isInstanceOf(InvalidInputException.class).hasMessage("no pairs in " + in);
    assertThat(Files.readString(out)).isEqualTo("earlier\n");
    assertThat(Importer.rejectsPath(out)).doesNotExist();
    Path blank = Files2.text(dir, "blank.json", " \n\n");
    assertThatThrownBy(() -> Importer.run(new AlpacaFormat(), blank, new AlpacaFormat(), dir.resolve("a.jsonl"),
        ErrorPolicy.FAIL)).isInstanceOf(InvalidInputException.class).hasMessage("no examples in " + blank);
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void sameInputAndOutputIsRefused() {
    Path in = Files2.text(dir, "x.jsonl", GOOD + "\n");
    assertThatThrownBy(() -> Importer.run(new TrlFormat(), in, new TrlFormat(), in, ErrorPolicy.FAIL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same file");
  }

  @Test
  void hhTestImportCountsThePromptMismatches() throws Exception {
    Path out = dir.resolve("hh.jsonl");
    long[] progress = new long[1];
    ImportResult r = Importer.run(new HhFormat(), RealData.file("hh-rlhf-harmless-test"), new TrlFormat(), out,
        ErrorPolicy.FAIL, n -> progress[0] = n);
    assertThat(r.imported()).isEqualTo(2312);
    assertThat(r.flagged()).containsEntry("prompt_mismatch", 5L);
    assertThat(progress[0]).isEqualTo(2312);
    List<PreferencePair> back = PairFiles.readAll(out, new TrlFormat());
    assertThat(back).hasSize(2312);
    assertThat(back.get(1254).metadata()).containsKeys("prompt_mismatch", "rejected_prompt");
    assertThat(back.get(0).source()).isEqualTo("hh-rlhf");
  }
}

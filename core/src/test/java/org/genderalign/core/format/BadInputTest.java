package org.genderalign.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.data.SftExample;
import org.genderalign.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gives its own one-line message with file, position, field and expectation. */
class BadInputTest {

  @TempDir Path dir;

  private static final String GOOD = "{\"prompt\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\"}";

  private InvalidInputException readError(RecordFormat<?> f, Path file) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> Files2.readAll(f, file));
    assertThat(t).isInstanceOf(InvalidInputException.class);
    return (InvalidInputException) t;
  }

  @Test
  void truncatedJsonLine() {
    Path f = Files2.text(dir, "pairs.jsonl", GOOD + "\n" + GOOD + "\n{\"prompt\":\"q\",\"chosen\":\"a\n");
    InvalidInputException e = readError(new TrlFormat(), f);
    assertThat(e).hasMessage("pairs.jsonl line 3: invalid JSON (unexpected end of input)");
    assertThat(e.recoverable()).isTrue();
    assertThat(e.rawText()).isEqualTo("{\"prompt\":\"q\",\"chosen\":\"a");
  }

  @Test
  void garbageLine() {
    Path f = Files2.text(dir, "pairs.jsonl", GOOD + "\nnot json\n");
    assertThat(readError(new TrlFormat(), f)).hasMessageStartingWith(
        "pairs.jsonl line 2: invalid JSON (Unrecognized token 'not'");
  }

  @Test
  void trailingContentAfterTheObjectOnALine() {
    Path f = Files2.text(dir, "pairs.jsonl", GOOD + " {}\n");
    assertThat(readError(new TrlFormat(), f)).hasMessageStartingWith("pairs.jsonl line 1: invalid JSON (")
        .hasMessageContaining("Trailing token");
  }

  @Test
  void missingField() {
    Path f = Files2.text(dir, "pairs.jsonl", GOOD + "\n{\"prompt\":\"q\",\"chosen\":\"a\"}\n");
    assertThat(readError(new TrlFormat(), f)).hasMessage(
        "pairs.jsonl line 2: field 'rejected': missing (expected a string or a list of messages)");
    Path g = Files2.text(dir, "alpaca.json", "[{\"instruction\":\"i\",\"input\":\"\",\"output\":\"o\"},"
        + "{\"instruction\":\"i\"}]");
    assertThat(readError(new AlpacaFormat(), g)).hasMessage(
        "alpaca.json item 1: field 'output': missing (expected a string) (line 1)");
  }

  @Test
  void wrongType() {
    Path f = Files2.text(dir, "pairs.jsonl", "{\"prompt\":42,\"chosen\":\"a\",\"rejected\":\"b\"}\n");
    assertThat(readError(new TrlFormat(), f)).hasMessage(
        "pairs.jsonl line 1: field 'prompt': expected a string or a list of messages, got a number");
    Path g = Files2.text(dir, "pairs2.jsonl", "{\"prompt\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\",\"category\":[1]}\n");
    assertThat(readError(new TrlFormat(), g)).hasMessage(
        "pairs2.jsonl line 1: field 'category': expected a string or null, got an array");
    Path h = Files2.text(dir, "hh.jsonl", "{\"chosen\":null,\"rejected\":\"x\"}\n");
    assertThat(readError(new HhFormat(), h)).hasMessage(
        "hh.jsonl line 1: field 'chosen': expected a string, got null");
    Path i = Files2.text(dir, "ga.json", "[{\"count\":\"1\",\"chosen\":\"Human: q\\nAssistant: a\","
        + "\"rejected\":\"Human: q\\n\\nAssistant:b\"}]");
    assertThat(readError(new GenderAlignFormat(), i)).hasMessage(
        "ga.json item 0: field 'count': expected an integer, got a string (line 1)");
  }

  @Test
  void lineThatIsNotAnObject() {
    Path f = Files2.text(dir, "pairs.jsonl", GOOD + "\n[1,2]\n");
    assertThat(readError(new TrlFormat(), f)).hasMessage("pairs.jsonl line 2: expected a JSON object, got an array");
  }

  @Test
  void invalidUtf8IsAnErrorNotAReplacementCharacter() {
    byte[] bad = Files2.concat(Files2.utf8(GOOD + "\n{\"prompt\":\"caf"), new byte[] {(byte) 0xC3, (byte) 0x28},
        Files2.utf8("\",\"chosen\":\"a\",\"rejected\":\"b\"}\n"));
    Path f = Files2.bytes(dir, "pairs.jsonl", bad);
    InvalidInputException e = readError(new TrlFormat(), f);
    assertThat(e).hasMessage("pairs.jsonl line 2: invalid UTF-8 (malformed byte sequence at byte 14 of the line)");
    assertThat(e.recoverable()).isTrue();

    Path g = Files2.bytes(dir, "alpaca.json", Files2.concat(Files2.utf8("[\n{\"instruction\":\"i\",\"output\":\"o\"},\n"
        + "{\"instruction\":\"\u00e9"), new byte[] {(byte) 0xFF}, Files2.utf8("\",\"output\":\"o\"}]")));
    InvalidInputException e2 = readError(new AlpacaFormat(), g);
    assertThat(e2).hasMessage("alpaca.json item 1: invalid UTF-8 (malformed byte sequence near line 3)");
    assertThat(e2.recoverable()).isFalse();

    Path h = Files2.bytes(dir, "pairs.csv", Files2.concat(Files2.utf8("prompt,chosen,rejected\nq,a,b\nq2,"),
        new byte[] {(byte) 0xE2, (byte) 0x82}, Files2.utf8(",b\n")));
    assertThat(readError(new CsvFormat(), h)).hasMessage("pairs.csv line 3: invalid UTF-8 (malformed byte sequence)");
  }

  @Test
  void truncatedGzipIsUnrecoverable() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      sb.append("{\"chosen\":\"\\n\\nHuman: q").append(i).append("\\n\\nAssistant: a\",")
          .append("\"rejected\":\"\\n\\nHuman: q").append(i).append("\\n\\nAssistant: b\"}\n");
    }
    byte[] gz = Files2.gzip(Files2.utf8(sb.toString()));
    Path f = Files2.bytes(dir, "test.jsonl.gz", Arrays.copyOf(gz, gz.length / 2));
    InvalidInputException e = readError(new HhFormat(), f);
    assertThat(e).hasMessage("test.jsonl.gz: truncated or corrupt gzip stream (unexpected end of the "
        + "compressed data); re-download or re-compress the file");
    assertThat(e.recoverable()).isFalse();
  }

  @Test
  void hhRowWithoutAssistantTurn() {
    Path f = Files2.text(dir, "hh.jsonl",
        "{\"chosen\":\"\\n\\nHuman: hi\\n\\nAssistant: yo\",\"rejected\":\"\\n\\nHuman: hi only\"}\n");
    assertThat(readError(new HhFormat(), f)).hasMessage("hh.jsonl line 1: field 'rejected': no '\\n\\nAssistant:' "
        + "turn in the transcript (expected '\\n\\nHuman: …\\n\\nAssistant: …')");
    Path g = Files2.text(dir, "hh2.jsonl", "{\"chosen\":\"Assistant: yo\",\"rejected\":\"x\"}\n");
    assertThat(readError(new HhFormat(), g)).hasMessage("hh2.jsonl line 1: field 'chosen': expected a "
        + "transcript starting with '\\n\\nHuman: ', got 'Assistant: yo'");
  }

  @Test
  void jsonRootOfTheWrongType() {
    Path f = Files2.text(dir, "test.jsonl", "[{\"chosen\":\"x\",\"rejected\":\"y\"}]");
    assertThatThrownBy(() -> Files2.readAll(new HhFormat(), f))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("test.jsonl: expected JSON Lines (HH-RLHF objects {chosen, rejected}, one per line) "
            + "but the file is a JSON array");
    Path g = Files2.text(dir, "a.json", "[{\"instruction\":\"i\",\"output\":\"o\"}, 3]");
    InvalidInputException e = readError(new AlpacaFormat(), g);
    assertThat(e).hasMessage("a.json item 1: expected a JSON object, got a number (line 1)");
    assertThat(e.recoverable()).isTrue();
    Path h = Files2.text(dir, "b.json", "[{\"instruction\":\"i\",\"output\":\"o\"}] []");
    assertThat(readError(new AlpacaFormat(), h)).hasMessage(
        "b.json: unexpected an array after the closing ']' of the top-level array (line 1)");
  }

  @Test
  void brokenJsonInsideAnArrayIsUnrecoverable() {
    Path f = Files2.text(dir, "a.json", "[\n{\"instruction\":\"i\",\"output\":\"o\"},\n{\"instruction\":\"i\",\n");
    InvalidInputException e = readError(new AlpacaFormat(), f);
    assertThat(e).hasMessage("a.json item 1: invalid JSON (unexpected end of input, line 4)");
    assertThat(e.recoverable()).isFalse();
  }

  @Test
  void csvWithAnUnbalancedQuote() {
    Path f = Files2.text(dir, "pairs.csv", "prompt,chosen,rejected\nq,a,b\nq2,\"a2,b2\nq3,a3,b3\n");
    InvalidInputException e = readError(new CsvFormat(), f);
    assertThat(e).hasMessage("pairs.csv line 3: unbalanced quote: the quoted cell that starts here is never closed");
    assertThat(e.recoverable()).isFalse();
  }

  @Test
  void csvRowOfTheWrongWidthAndBadHeader() {
    Path f = Files2.text(dir, "pairs.csv", "prompt,chosen,rejected\nq,a\n");
    assertThat(readError(new CsvFormat(), f))
        .hasMessage("pairs.csv line 2: expected 3 cells (header: prompt,chosen,rejected), got 2");
    Path g = Files2.text(dir, "h.csv", "question,good,bad\nq,a,b\n");
    assertThatThrownBy(() -> Files2.readAll(new CsvFormat(), g)).isInstanceOf(InvalidInputException.class)
        .hasMessage("h.csv: CSV header must have the columns prompt, chosen, rejected (optional: id, category, "
            + "source, seed_id, metadata); found [question, good, bad]");
  }

  @Test
  void emptyFilesHaveNoRecordsInEveryFormat() throws Exception {
    for (String name : Formats.pairFormatNames()) {
      Path f = Files2.text(dir, "empty-" + name, "");
      Path ws = Files2.text(dir, "blank-" + name, "\n  \r\n\n");
      assertThat(Files2.readAll(Formats.pairs(name), f)).as(name).isEmpty();
      assertThat(Files2.readAll(Formats.pairs(name), ws)).as(name).isEmpty();
    }
    for (String name : Formats.sftFormatNames()) {
      Path f = Files2.text(dir, "empty-" + name, "");
      assertThat(Files2.readAll(Formats.sft(name), f)).as(name).isEmpty();
    }
    Path gz = Files2.bytes(dir, "empty.jsonl.gz", Files2.gzip(new byte[0]));
    assertThat(Files2.readAll(new HhFormat(), gz)).isEmpty();
  }

  @Test
  void bomCrlfAndBlankLinesAreAccepted() throws Exception {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    Path f = Files2.bytes(dir, "p.jsonl", Files2.concat(bom, Files2.utf8("\r\n" + GOOD + "\r\n\r\n   \r\n"
        + "{\"prompt\":\"q2\",\"chosen\":\"a\\r\\nb\",\"rejected\":\"c\"}\r\n")));
    List<PreferencePair> ps = Files2.readAll(new TrlFormat(), f);
    assertThat(ps).extracting(PreferencePair::id).containsExactly("p-2", "p-5");
    assertThat(ps.get(1).chosen()).isEqualTo("a\r\nb");

    Path c = Files2.bytes(dir, "p.csv", Files2.concat(bom, Files2.utf8(
        "prompt,chosen,rejected\r\n\r\nq,\"multi\r\nline\",b\r\n")));
    List<PreferencePair> cs = Files2.readAll(new CsvFormat(), c);
    assertThat(cs).hasSize(1);
    assertThat(cs.get(0).prompt()).isEqualTo("q");
    assertThat(cs.get(0).chosen()).isEqualTo("multi\r\nline");

    Path a = Files2.bytes(dir, "a.json", Files2.concat(bom, Files2.utf8(
        "[\r\n  {\"instruction\": \"i\", \"input\": null, \"output\": \"o\"}\r\n]\r\n")));
    assertThat(Files2.readAll(new AlpacaFormat(), a)).containsExactly(new SftExample("a-0", "i", "", "o"));

    Path gz = Files2.bytes(dir, "h.jsonl.gz", Files2.gzip(Files2.concat(bom, Files2.utf8(
        "\r\n{\"chosen\":\"\\n\\nHuman: q\\n\\nAssistant: a\",\"rejected\":\"\\n\\nHuman: q\\n\\nAssistant: b\"}\r\n"))));
    assertThat(Files2.readAll(new HhFormat(), gz)).containsExactly(
        new PreferencePair("h-2", "q", "a", "b", null, "hh-rlhf", null, null));
  }
}

package org.genderalign.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.genderalign.core.dataroot.MissingDataException;
import org.junit.jupiter.api.Test;

class ErrorLinesTest {

  @Test
  void badInputIsItsMessageAloneOnOneLine() {
    InvalidInputException bad = InvalidInputException.atLine(Path.of("pairs.jsonl"), 3, "chosen", "missing");
    assertThat(ErrorLines.isBadInput(bad)).isTrue();
    assertThat(ErrorLines.oneLine(bad)).isEqualTo(bad.getMessage()).doesNotContain("InvalidInputException");
    assertThat(ErrorLines.oneLine(new IllegalArgumentException("batch size must be >= 1,\ngot 0")))
        .isEqualTo("batch size must be >= 1, got 0");
    assertThat(ErrorLines.oneLine(new MissingDataException("seeds-gest is missing"))).isEqualTo("seeds-gest is missing");
    assertThat(ErrorLines.oneLine(new NoSuchFileException("/x/y.jsonl"))).isEqualTo("no such file: /x/y.jsonl");
    UncheckedIOException wrapped = new UncheckedIOException(new NoSuchFileException("/z"));
    assertThat(ErrorLines.isBadInput(wrapped)).isTrue();
    assertThat(ErrorLines.oneLine(wrapped)).isEqualTo("no such file: /z");
  }

  @Test
  void otherFailuresNameTheirKind() {
    IOException io = new IOException("disk on fire");
    assertThat(ErrorLines.isBadInput(io)).isFalse();
    assertThat(ErrorLines.oneLine(io)).isEqualTo("IOException: disk on fire");
    assertThat(ErrorLines.oneLine(new IllegalStateException())).isEqualTo("IllegalStateException");
    assertThat(ErrorLines.isBadInput(new UncheckedIOException(io))).isFalse();
  }
}

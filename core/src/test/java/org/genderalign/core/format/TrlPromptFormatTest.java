package org.genderalign.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genderalign.core.data.PromptExample;
import org.genderalign.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TRL's prompt-only format (GRPO data), and prompts taken from a pair file. */
class TrlPromptFormatTest {

  @TempDir Path dir;
  private final TrlPromptFormat fmt = new TrlPromptFormat();

  @Test
  void readsStringAndConversationalPromptsWithIdsAndMetadata() throws Exception {
    Path f = Files2.text(dir, "p.jsonl", "{\"prompt\":\"Once upon a time\"}\n"
        + "{\"id\":\"q\",\"prompt\":[{\"role\":\"user\",\"content\":\"Are girls worse at maths?\"}],\"source\":\"x\"}\n");
    assertThat(Files2.readAll(fmt, f)).containsExactly(PromptExample.of("p-1", "Once upon a time"),
        new PromptExample("q", "Are girls worse at maths?", Map.of("source", "x")));
    Path out = dir.resolve("out.jsonl");
    List<PromptExample> xs = Files2.readAll(fmt, f);
    PairFiles.writeAll(out, fmt, xs);
    assertThat(PairFiles.readAll(out, fmt)).isEqualTo(xs);
  }

  @Test
  void aMissingPromptNamesFileLineAndField() throws Exception {
    Path f = Files2.text(dir, "bad.jsonl", "{\"prompt\":\"ok\"}\n{\"text\":\"no prompt\"}\n");
    assertThatThrownBy(() -> Formats.readPrompts(f, TrlPromptFormat.NAME)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("bad.jsonl").hasMessageContaining("line 2").hasMessageContaining("prompt");
  }

  @Test
  void aPairFileGivesItsPromptsAndAnUnknownFormatIsRefused() throws Exception {
    Path f = Files2.text(dir, "pairs.jsonl",
        "{\"id\":\"a\",\"prompt\":\"Hi\",\"chosen\":\" x\",\"rejected\":\" y\"}\n");
    assertThat(Formats.readPrompts(f, TrlFormat.NAME)).containsExactly(PromptExample.of("a", "Hi"));
    assertThatThrownBy(() -> Formats.readPrompts(f, "nope")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trl-prompt");
  }
}

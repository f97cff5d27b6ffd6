package org.genderalign.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.testing.RandomPairs;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conversational TRL export. The shape is checked against TRL's documentation
 * (huggingface/trl docs/source/dataset_formats.md, "Preference" → "Conversational format,
 * explicit prompt (recommended)", at commit f2cd57710ae345ea6428ae95363267fcf38a3dc8):
 * {@code {"prompt": [{"role": "user", "content": "What color is the sky?"}],
 * "chosen": [{"role": "assistant", "content": "It is blue."}],
 * "rejected": [{"role": "assistant", "content": "It is green."}]}}.
 */
class TrlConversationalFormatTest {

  @TempDir Path dir;
  private final TrlConversationalFormat conv = new TrlConversationalFormat();

  @Test
  void writesTrlsDocumentedExampleExactly() throws Exception {
    Path f = dir.resolve("o.jsonl");
    Files2.writeAll(conv, f, List.of(PreferencePair.of("p1", "What color is the sky?", "It is blue.", "It is green.")));
    assertThat(Files.readString(f, StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"p1\","
        + "\"prompt\":[{\"role\":\"user\",\"content\":\"What color is the sky?\"}],"
        + "\"chosen\":[{\"role\":\"assistant\",\"content\":\"It is blue.\"}],"
        + "\"rejected\":[{\"role\":\"assistant\",\"content\":\"It is green.\"}]}\n");
  }

  @Test
  void systemPromptAndHhTurnsBecomeMessagesAndTheRestStaysTopLevel() throws Exception {
    PreferencePair p = new PreferencePair("p2", "Hi\n\nAssistant: Hello!\n\nHuman: Can nurses be men?",
        "Of course.", "No.", "stereotypes", "builder", "seed-1",
        Map.of("system", "Be fair.", "score", 3));
    Path f = dir.resolve("o.jsonl");
    Files2.writeAll(conv, f, List.of(p));
    JsonNode o = JsonSupport.MAPPER.readTree(Files.readString(f));
    assertThat(o.get("prompt").toString()).isEqualTo("[{\"role\":\"system\",\"content\":\"Be fair.\"},"
        + "{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello!\"},"
        + "{\"role\":\"user\",\"content\":\"Can nurses be men?\"}]");
    assertThat(o.has("system")).isFalse();
    assertThat(o.get("category").textValue()).isEqualTo("stereotypes");
    assertThat(o.get("score").intValue()).isEqualTo(3);
    assertThat(Files2.readAll(conv, f)).containsExactly(p);
    assertThat(Files2.readAll(new TrlFormat(), f)).containsExactly(p); // also plain --format trl
  }

  @Test
  void markersThatDoNotGiveAlternatingTurnsStayOneUserMessage() {
    for (String prompt : List.of(
        "a\n\nHuman: b",                         // two user turns in a row
        "a\n\nAssistant: b",                     // ends on the assistant
        "a\n\nAssistant: b\n\nAssistant: c",     // two assistant turns
        "\n\nAssistant: x\n\nHuman: ",           // empty user turns, but alternating: split
        "plain")) {
      List<Messages.Message> m = TrlConversationalFormat.promptMessages(prompt);
      assertThat(m.get(0).role()).isEqualTo("user");
      assertThat(m.get(m.size() - 1).role()).isEqualTo("user");
      assertThat(m.size() % 2).isEqualTo(1);
    }
    assertThat(TrlConversationalFormat.promptMessages("a\n\nHuman: b")).hasSize(1);
    assertThat(TrlConversationalFormat.promptMessages("a\n\nAssistant: b")).hasSize(1);
    assertThat(TrlConversationalFormat.promptMessages("\n\nAssistant: x\n\nHuman: ")).extracting(Messages.Message::content)
        .containsExactly("", "x", "");
  }

  /** Random prompts with HH markers in every arrangement, random system prompts: read(write(p)) = p. */
  @RepeatedTest(5)
  void roundTripIsIdentityAndBytesAreStable(RepetitionInfo rep) throws Exception {
    RandomPairs gen = new RandomPairs(100 + rep.getCurrentRepetition());
    Random rnd = new Random(rep.getCurrentRepetition());
    String[] marks = {"\n\nHuman: ", "\n\nAssistant: ", "\n\nHuman:", "\n\n"};
    List<PreferencePair> pairs = new ArrayList<>();
    for (PreferencePair p : gen.pairs(60, "c", 0, true)) {
      StringBuilder prompt = new StringBuilder(p.prompt());
      int turns = rnd.nextInt(4);
      for (int t = 0; t < turns; t++) {
        prompt.append(marks[rnd.nextInt(marks.length)]).append(gen.text());
      }
      PreferencePair q = p.toBuilder().prompt(prompt.toString()).build();
      if (rnd.nextBoolean()) {
        q = q.withMetadata("system", gen.text());
      }
      pairs.add(q);
    }
    Path file = dir.resolve("pairs.jsonl");
    PairFiles.writeAll(file, conv, pairs);
    List<PreferencePair> back = PairFiles.readAll(file, conv);
    assertThat(back).isEqualTo(pairs);
    Path again = dir.resolve("again.jsonl");
    PairFiles.writeAll(again, conv, back);
    assertThat(Files.mismatch(file, again)).isEqualTo(-1L);
    // every line has TRL's conversational shape
    for (String line : Files.readAllLines(file)) {
      JsonNode o = JsonSupport.MAPPER.readTree(line);
      JsonNode prompt = o.get("prompt");
      assertThat(prompt.isArray()).isTrue();
      assertThat(prompt.get(prompt.size() - 1).get("role").textValue()).isEqualTo("user");
      for (String side : List.of("chosen", "rejected")) {
        assertThat(o.get(side).size()).isEqualTo(1);
        assertThat(o.get(side).get(0).get("role").textValue()).isEqualTo("assistant");
      }
    }
  }

  @Test
  void convertsToAndFromTheStandardFormWithoutLoss() throws Exception {
    List<PreferencePair> pairs = new RandomPairs(7).pairs(30, "s", 0, true);
    Path std = dir.resolve("std.jsonl");
    PairFiles.writeAll(std, new TrlFormat(), pairs);
    Path c = dir.resolve("conv.jsonl");
    PairFiles.writeAll(c, conv, PairFiles.readAll(std, new TrlFormat()));
    Path std2 = dir.resolve("std2.jsonl");
    PairFiles.writeAll(std2, new TrlFormat(), PairFiles.readAll(c, new TrlFormat()));
    assertThat(Files.mismatch(std, std2)).isEqualTo(-1L);
  }
}

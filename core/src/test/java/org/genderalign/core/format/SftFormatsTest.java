package org.genderalign.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.genderalign.core.data.SftExample;
import org.genderalign.core.testing.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftFormatsTest {

  @TempDir Path dir;

  @Test
  void alpacaMirrorHasFiveThousandExamples() throws Exception {
    List<SftExample> xs = Files2.readAll(new AlpacaFormat(), RealData.file("alpaca-5000"));
    assertThat(xs).hasSize(5000);
    assertThat(xs.get(0)).isEqualTo(new SftExample("alpaca_5000-0",
        "Are the two sentences below grammatically correct? Output yes or no.",
        "Sentence 1: I am going to the store.\nSentence 2: I goes to the store.", "No"));
    assertThat(xs.stream().filter(x -> x.input().isEmpty()).count()).isGreaterThan(1000);
  }

  @Test
  void alpacaJsonLinesWithIds() throws Exception {
    Path f = Files2.text(dir, "a.jsonl", "{\"id\":\"x\",\"instruction\":\"i\",\"input\":\"n\",\"output\":\"o\"}\n"
        + "{\"instruction\":\"i2\",\"output\":\"o2\",\"text\":\"ignored\"}\n");
    assertThat(Files2.readAll(new AlpacaFormat(), f)).containsExactly(
        new SftExample("x", "i", "n", "o"), new SftExample("a-2", "i2", "", "o2"));
  }

  @Test
  void trlChosenReadsPromptAndChosenOfPreferenceData() throws Exception {
    Path f = Files2.text(dir, "p.jsonl", "{\"id\":\"p1\",\"prompt\":\"q\",\"chosen\":\"good\",\"rejected\":\"bad\"}\n"
        + "{\"prompt\":[{\"role\":\"user\",\"content\":\"Q\"}],\"chosen\":[{\"role\":\"assistant\",\"content\":\"A\"}],"
        + "\"rejected\":[{\"role\":\"assistant\",\"content\":\"B\"}]}\n"
        + "{\"chosen\":[{\"role\":\"user\",\"content\":\"U\"},{\"role\":\"assistant\",\"content\":\"V\"}]}\n");
    assertThat(Files2.readAll(new TrlChosenFormat(), f)).containsExactly(
        new SftExample("p1", "q", "", "good"), new SftExample("p-2", "Q", "", "A"), new SftExample("p-3", "U", "", "V"));
    List<SftExample> hh = Files2.readAll(new TrlChosenFormat(), RealData.file("hh-rlhf-harmless-train-5000"));
    assertThat(hh).hasSize(5000);
    assertThat(hh.get(0).output()).isEqualTo("I haven't even thought about it.");
  }
}

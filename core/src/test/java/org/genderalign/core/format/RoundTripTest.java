package org.genderalign.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.data.SftExample;
import org.genderalign.core.testing.RandomPairs;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Randomized write → read round trips for every format (unicode, quotes, backslashes, commas,
 * inner newlines, CRLF, emoji), and read → write → read identity.
 */
class RoundTripTest {

  @TempDir Path dir;

  @RepeatedTest(5)
  void trlAndCsvKeepEverything(RepetitionInfo rep) throws Exception {
    List<PreferencePair> pairs = new RandomPairs(rep.getCurrentRepetition()).pairs(60, "r", 0, true);
    for (RecordFormat<PreferencePair> f : List.of(new TrlFormat(), new CsvFormat())) {
      Path file = dir.resolve("pairs." + f.name());
      PairFiles.writeAll(file, f, pairs);
      List<PreferencePair> back = PairFiles.readAll(file, f);
      assertThat(back).as(f.name()).isEqualTo(pairs);
      Path again = dir.resolve("again." + f.name());
      PairFiles.writeAll(again, f, back);
      assertThat(Files.mismatch(file, again)).as(f.name() + " bytes").isEqualTo(-1L);
    }
  }

  @RepeatedTest(5)
  void hhKeepsTextAndDerivesIdsFromLines(RepetitionInfo rep) throws Exception {
    // HH carries only the two transcripts: ids come from line numbers, source is hh-rlhf.
    List<PreferencePair> pairs = new RandomPairs(100 + rep.getCurrentRepetition()).pairs(40, "h-", 1, false)
        .stream().map(p -> p.toBuilder().source(HhFormat.SOURCE).build()).toList();
    Path file = dir.resolve("h.jsonl");
    PairFiles.writeAll(file, new HhFormat(), pairs);
    assertThat(PairFiles.readAll(file, new HhFormat())).isEqualTo(pairs);
  }

  @RepeatedTest(5)
  void hhKeepsAMismatchedRejectedPrompt(RepetitionInfo rep) throws Exception {
    RandomPairs rnd = new RandomPairs(200 + rep.getCurrentRepetition());
    PreferencePair p = new PreferencePair("m-1", rnd.text(), rnd.text(), rnd.text(), null, HhFormat.SOURCE, null,
        Map.of(HhFormat.PROMPT_MISMATCH, true, HhFormat.REJECTED_PROMPT, rnd.text() + "!"));
    Path file = dir.resolve("m.jsonl");
    PairFiles.writeAll(file, new HhFormat(), List.of(p));
    assertThat(PairFiles.readAll(file, new HhFormat())).containsExactly(p);
  }

  @RepeatedTest(5)
  void genderAlignKeepsTextAndCount(RepetitionInfo rep) throws Exception {
    Random r = new Random(rep.getCurrentRepetition());
    List<PreferencePair> pairs = new RandomPairs(300 + rep.getCurrentRepetition()).pairs(40, "g-", 0, false)
        .stream().map(p -> {
          PreferencePair.PreferencePairBuilder b = p.toBuilder().source(GenderAlignFormat.SOURCE);
          // Answers that start with a space must survive the rejected side's "Assistant:" with no space.
          if (r.nextBoolean()) {
            b.rejected(" " + p.rejected()).chosen(" " + p.chosen());
          }
          return b.metadata(Map.of("count", r.nextInt(50))).build();
        }).toList();
    Path file = dir.resolve("g.json");
    PairFiles.writeAll(file, new GenderAlignFormat(), pairs);
    assertThat(PairFiles.readAll(file, new GenderAlignFormat())).isEqualTo(pairs);
  }

  @RepeatedTest(5)
  void sftFormatsKeepEverything(RepetitionInfo rep) throws Exception {
    RandomPairs rnd = new RandomPairs(400 + rep.getCurrentRepetition());
    List<SftExample> xs = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      xs.add(new SftExample("s" + i, rnd.text(), i % 3 == 0 ? "" : rnd.text(), rnd.text()));
    }
    for (RecordFormat<SftExample> f : List.of(new AlpacaFormat(), new TrlChosenFormat())) {
      Path file = dir.resolve("x." + f.name());
      Files2.writeAll(f, file, xs);
      assertThat(Files2.readAll(f, file)).as(f.name()).isEqualTo(xs);
    }
  }
}

package org.genderalign.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.testing.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenderAlignFormatTest {

  @TempDir Path dir;
  private final GenderAlignFormat ga = new GenderAlignFormat();

  @Test
  void readsTheReleaseAndNormalisesBothSeparators() throws Exception {
    Path f = RealData.file("genderalign-partial");
    List<PreferencePair> ps = PairFiles.readAll(f, ga);
    assertThat(ps).hasSize(101);
    PreferencePair first = ps.get(0);
    assertThat(first.id()).isEqualTo("GenderAlign.partial-101-0");
    assertThat(first.prompt()).isEqualTo(
        "Okay, but aren't men more likely to be adventurous and seek out the thrill of the sea?");
    assertThat(first.chosen()).startsWith("Thrill-seeking behavior").endsWith("experiences.");
    assertThat(first.rejected()).startsWith("Yes! That sounds like").endsWith("all around you");
    assertThat(first.source()).isEqualTo("genderalign-release");
    assertThat(first.metadata()).containsExactly(Map.entry("count", 1));
    // count is not unique in the release (two 6s); ids still are.
    assertThat(ps.stream().map(PreferencePair::id).distinct().count()).isEqualTo(101);
    assertThat(ps.stream().filter(p -> Integer.valueOf(6).equals(p.metadata().get("count")))).hasSize(2);
    assertThat(ps).allSatisfy(p -> {
      assertThat(p.prompt()).doesNotStartWith(" ").doesNotEndWith("\n").doesNotContain("Assistant:");
      assertThat(p.chosen()).doesNotStartWith(" ").doesNotEndWith("\n");
      assertThat(p.rejected()).doesNotEndWith("\n");
    });
  }

  @Test
  void writerReproducesTheReleaseFileExceptForLineEnds() throws Exception {
    Path f = RealData.file("genderalign-partial");
    Path out = dir.resolve("GenderAlign.partial-101.json");
    List<PreferencePair> ps = PairFiles.readAll(f, ga);
    PairFiles.writeAll(out, ga, ps);
    String release = Files.readString(f, StandardCharsets.UTF_8).replace("\r\n", "\n");
    assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo(release);
    assertThat(PairFiles.readAll(out, ga)).isEqualTo(ps);
  }

  @Test
  void acceptsEitherSeparatorInEitherField() throws Exception {
    Path f = Files2.text(dir, "swapped.json", "[{\"count\": 3,"
        + "\"chosen\": \"Human: q?\\n\\nAssistant:fine\\n\","
        + "\"rejected\": \"Human: q?\\nAssistant: bad\\n\"}]");
    PreferencePair p = Files2.readAll(ga, f).get(0);
    assertThat(p.prompt()).isEqualTo("q?");
    assertThat(p.chosen()).isEqualTo("fine");
    assertThat(p.rejected()).isEqualTo("bad");
  }

  /** Found by fuzzing: an extra "id" key kept as metadata made every TRL export of the pair fail. */
  @Test
  void aKeyNamedLikeAPairFieldIsAnItemError() {
    Path f = Files2.text(dir, "ga-id.json", "[{\"id\": 7, \"chosen\": \"Human: q\\nAssistant: x\\n\","
        + " \"rejected\": \"Human: q\\n\\nAssistant:y\\n\"}]");
    assertThatThrownBy(() -> Files2.readAll(ga, f))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("ga-id.json item 0: field 'id': not a field of the GenderAlign release");
  }

  @Test
  void mismatchedQuestionsAreAnItemError() {
    Path f = Files2.text(dir, "ga.json", "[\n{\"count\": 1, \"chosen\": \"Human: a\\nAssistant: x\\n\","
        + " \"rejected\": \"Human: a\\n\\nAssistant:y\\n\"},\n"
        + "{\"count\": 2, \"chosen\": \"Human: Are women bad drivers?\\nAssistant: No.\\n\","
        + " \"rejected\": \"Human: Are men bad drivers?\\n\\nAssistant:Yes.\\n\"}\n]");
    assertThatThrownBy(() -> Files2.readAll(ga, f))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("ga.json item 1: field 'rejected': its question differs from the chosen's "
            + "('Are men bad drivers?' vs 'Are women bad drivers?'); both must answer the same question (line 3)")
        .matches(e -> ((InvalidInputException) e).recoverable());
  }

  @Test
  void objectRootIsRefusedAsAWholeFileError() {
    Path f = Files2.text(dir, "ga.json", "{\"count\": 1}");
    assertThatThrownBy(() -> ga.reader(f))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("ga.json: expected a JSON array at the top level (GenderAlign release: a JSON array of "
            + "{count, chosen, rejected} objects) but the file starts with an object ('{')")
        .matches(e -> !((InvalidInputException) e).recoverable());
  }
}

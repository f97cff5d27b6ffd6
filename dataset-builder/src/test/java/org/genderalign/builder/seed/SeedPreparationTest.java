package org.genderalign.builder.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedPreparationTest {

  private final PiiScrubber scrubber = PiiScrubber.create();

  @Test
  void scrubsEmailsPhonesHandlesUrlsAndNames() {
    PiiScrubber.Result r = scrubber.scrub("Mail jane.doe@example.com or call +1 (555) 123-4567, "
        + "see https://x.example/a?b=1 and ask @bob_smith or u/throwaway99. Mr. Jones said Sarah Miller agrees.");
    assertThat(r.text()).isEqualTo("Mail [email] or call [phone], see [link] and ask [user] or [user]. "
        + "[name] said [name] agrees.");
    assertThat(r.counts()).containsEntry(PiiScrubber.Kind.EMAIL, 1).containsEntry(PiiScrubber.Kind.PHONE, 1)
        .containsEntry(PiiScrubber.Kind.URL, 1).containsEntry(PiiScrubber.Kind.HANDLE, 2)
        .containsEntry(PiiScrubber.Kind.NAME, 2);
  }

  @Test
  void keepsYearsRangesAndOrdinaryWords() {
    PiiScrubber.Result r = scrubber.scrub("From 2019-2020 women held 29.2% of 1,780 jobs. Will May hope?");
    assertThat(r.changed()).isFalse();
    assertThat(scrubber.scrub("[USER] said [URL]").text()).isEqualTo("[user] said [link]");
  }

  @Test
  void normalisesFiltersAndDeduplicates() {
    List<Seed> raw = List.of(
        new Seed("a", "t", "  Women \u201Ccan\u2019t\u201D   drive.  ", null),
        new Seed("b", "t", "women CAN'T drive!", null),
        new Seed("c", "t", "ok", null),
        new Seed("d", "t", "Женщины не умеют водить машину вообще", null),
        new Seed("e", "t", "x".repeat(700), null),
        new Seed("f", "t", "@someone http://a.b", null),
        new Seed("g", "t", "She should stay in the kitchen, call 555-123-4567", null));
    SeedPreparer.Result r = new SeedPreparer(12, 600, scrubber).prepare(raw);
    assertThat(r.seeds()).extracting(Seed::id).containsExactly("a", "g");
    assertThat(r.seeds().get(0).text()).isEqualTo("Women \"can't\" drive.");
    assertThat(r.seeds().get(1).text()).isEqualTo("She should stay in the kitchen, call [phone]");
    assertThat(r.dropCounts()).containsEntry("duplicate", 1).containsEntry("too_short", 2)
        .containsEntry("not_english", 1).containsEntry("too_long", 1);
    assertThat(r.dropped()).hasSize(5);
    assertThat(r.loadedBySource()).containsEntry("t", 7);
  }

  @Test
  void loadsEveryMirroredCorpusWithItsLabels() throws Exception {
    SeedLoader.Loaded l = SeedLoader.load(DataRoot.fromEnvironment(), BuildConfig.DEFAULT_SOURCES, List.of());
    assertThat(l.seeds().stream().filter(s -> s.source().equals("workplace-sexism")).count()).isEqualTo(627);
    assertThat(l.seeds().stream().filter(s -> s.source().equals("edos")).count()).isEqualTo(4854);
    assertThat(l.seeds().stream().filter(s -> s.source().equals("gest")).count()).isEqualTo(3565);
    assertThat(l.seeds().stream().filter(s -> s.source().equals("online-misogyny")).count()).isEqualTo(516);
    assertThat(l.seeds().get(0).text()).isEqualTo("For a woman, that is good");
    assertThat(l.inputHashes()).containsKeys("seeds-edos", "seeds-gest", "seeds-workplace-sexism", "seeds-online-misogyny");
    assertThat(l.seeds().stream().map(Seed::id).distinct().count()).isEqualTo(l.seeds().size());
  }

  @Test
  void userFilesInThreeFormats(@TempDir Path dir) throws Exception {
    Path txt = Files.writeString(dir.resolve("mine.txt"), "# comment\nWomen are bad at math\n\nMen never cry\n");
    Path csv = Files.writeString(dir.resolve("mine.csv"), "id,text,category\n7,\"Girls can't code, really\",stereotypes\n");
    Path jsonl = Files.writeString(dir.resolve("mine.jsonl"), "{\"text\":\"Nurses should be women\"}\n");
    assertThat(UserSeedFiles.load(txt)).extracting(Seed::id, Seed::text)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("user-mine-2", "Women are bad at math"),
            org.assertj.core.groups.Tuple.tuple("user-mine-4", "Men never cry"));
    assertThat(UserSeedFiles.load(csv).get(0)).isEqualTo(new Seed("user-7", "user:mine.csv", "Girls can't code, really", "stereotypes"));
    assertThat(UserSeedFiles.load(jsonl).get(0).text()).isEqualTo("Nurses should be women");
    Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"text\":\"ok\"}\n{\"txt\":1}\n");
    assertThatThrownBy(() -> UserSeedFiles.load(bad)).isInstanceOf(InvalidInputException.class)
        .hasMessage("bad.jsonl line 2: field 'text': expected a string");
    Path badCat = Files.writeString(dir.resolve("c.csv"), "text,category\nhello there,sexism\n");
    assertThatThrownBy(() -> UserSeedFiles.load(badCat)).hasMessageContaining("c.csv line 2: field 'category'");
    assertThatThrownBy(() -> UserSeedFiles.load(dir.resolve("x.pdf"))).hasMessageContaining("not found");
  }
}

package org.genderalign.builder.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.genderalign.builder.KeywordClassifier;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.PairFiles;
import org.genderalign.core.io.Hashing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetBuilderTest {

  static final DataRoot ROOT = DataRoot.fromEnvironment();
  static final BuildConfig SMALL = BuildConfig.builder().target(300).build();

  static DatasetBuilder.Options opts(Path out) {
    return DatasetBuilder.Options.of(out, ROOT, new KeywordClassifier());
  }

  static Map<String, String> hashes(Path dir) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        if (!p.getFileName().toString().equals("provenance.json")) {
          m.put(p.getFileName().toString(), Hashing.sha256(p));
        }
      }
    }
    return m;
  }

  @Test
  void smallBuildExportsEveryFileAndIsReproducible(@TempDir Path tmp) throws Exception {
    BuildResult a = DatasetBuilder.build(SMALL, opts(tmp.resolve("a")));
    BuildResult b = DatasetBuilder.build(SMALL, opts(tmp.resolve("b")));
    assertThat(a.total()).isEqualTo(300);
    assertThat(a.test()).isBetween(20, 40);
    for (String f : List.of("train.jsonl", "test.jsonl", "genderalign.json", "pairs.csv", "stats.json",
        "categories.svg", "README.md", "build-config.json", "provenance.json", "dropped.jsonl", "dropped-seeds.jsonl")) {
      assertThat(tmp.resolve("a").resolve(f)).isNotEmptyFile();
    }
    assertThat(hashes(tmp.resolve("a"))).isEqualTo(hashes(tmp.resolve("b")));
    BuildResult c = DatasetBuilder.build(SMALL.toBuilder().seed(7L).build(), opts(tmp.resolve("c")));
    assertThat(Hashing.sha256(tmp.resolve("c/train.jsonl"))).isNotEqualTo(Hashing.sha256(tmp.resolve("a/train.jsonl")));
    assertThat(c.total()).isEqualTo(300);

    List<PreferencePair> train = PairFiles.readAll(tmp.resolve("a/train.jsonl"), Formats.pairs("trl"));
    List<PreferencePair> test = PairFiles.readAll(tmp.resolve("a/test.jsonl"), Formats.pairs("trl"));
    assertThat(train).hasSize(a.train());
    assertThat(train).allSatisfy(p -> {
      assertThat(p.category()).isNotNull();
      assertThat(p.seedId()).isNotNull();
      assertThat(p.source()).isNotNull();
      assertThat(p.id()).startsWith("ga-");
    });
    // No seed on both sides.
    Set<String> trainSeeds = new HashSet<>();
    train.forEach(p -> trainSeeds.add(p.seedId()));
    assertThat(test).noneMatch(p -> trainSeeds.contains(p.seedId()));
    assertThat(PairFiles.readAll(tmp.resolve("a/genderalign.json"), Formats.pairs("genderalign"))).hasSize(300);
    assertThat(PairFiles.readAll(tmp.resolve("a/pairs.csv"), Formats.pairs("csv"))).hasSize(300);

    JsonNode stats = new ObjectMapper().readTree(tmp.resolve("a/stats.json").toFile());
    assertThat(stats.at("/pairs/total").asInt()).isEqualTo(300);
    assertThat(stats.at("/drops").has("near_duplicate")).isTrue();
    assertThat(stats.at("/diversity/chosen/most_common_share").asDouble()).isLessThan(0.05);
    String card = Files.readString(tmp.resolve("a/README.md"));
    assertThat(card).contains("| stereotypes |").contains(Hashing.sha256(tmp.resolve("a/train.jsonl")))
        .contains("CC0-1.0").contains("near_duplicate");
    assertThat(Files.readString(tmp.resolve("a/categories.svg"))).contains("<svg").contains("stereotypes");
    // Every drop is written aside, with its filter.
    long droppedLines = Files.readAllLines(tmp.resolve("a/dropped.jsonl")).size();
    assertThat(droppedLines).isEqualTo(a.drops().values().stream().mapToInt(Integer::intValue).sum());
  }

  @Test
  void aKilledBuildResumesToTheSameBytes(@TempDir Path tmp) throws Exception {
    BuildConfig cfg = SMALL.toBuilder().target(150).build();
    DatasetBuilder.Options straight = new DatasetBuilder.Options(tmp.resolve("straight"), false, ROOT,
        new KeywordClassifier(), null, Map.of(), 8);
    DatasetBuilder.build(cfg, straight);

    // Kill the build in the middle of generation (after 5 journaled batches).
    ProgressListener killer = new ProgressListener() {
      int steps;
      @Override public void start(String stage, long total) { }
      @Override public void step(long n) {
        if (++steps > 5) {
          throw new IllegalStateException("killed");
        }
      }
      @Override public void finish() { }
    };
    Path out = tmp.resolve("resumed");
    DatasetBuilder.Options o = new DatasetBuilder.Options(out, false, ROOT, new KeywordClassifier(), killer, Map.of(), 8);
    assertThatThrownBy(() -> DatasetBuilder.build(cfg, o)).hasMessage("killed");
    long journaled = Files.readAllLines(out.resolve(".build/candidates.jsonl")).stream()
        .filter(l -> l.startsWith("{\"batchEnd\"")).count();
    assertThat(journaled).isEqualTo(5);
    // Simulate a kill in the middle of a write: a torn last line.
    Files.writeString(out.resolve(".build/candidates.jsonl"), "{\"id\":\"torn", java.nio.file.StandardOpenOption.APPEND);

    BuildResult r = DatasetBuilder.build(cfg, new DatasetBuilder.Options(out, true, ROOT, new KeywordClassifier(),
        null, Map.of(), 8));
    assertThat(r.resumedCandidates()).isEqualTo(5 * 8 * 3);
    assertThat(hashes(out)).isEqualTo(hashes(tmp.resolve("straight")));

    // Resuming with other generation settings is refused.
    assertThatThrownBy(() -> DatasetBuilder.build(cfg.toBuilder().dialoguesPerSeed(2).build(),
        new DatasetBuilder.Options(out, true, ROOT, new KeywordClassifier(), null, Map.of(), 8)))
        .isInstanceOf(BuildException.class).hasMessageContaining("cannot resume");
  }

  @Test
  void resumeKeyChangesWithTheLocalModelSettings() {
    BuildConfig a = BuildConfig.defaults().toBuilder().rejectedGenerator("model").model("stories260K").build();
    BuildConfig otherModel = a.toBuilder().model("/models/other").build();
    BuildConfig otherTemperature = a.toBuilder().modelTemperature(0.2).build();
    Map<String, String> inputs = Map.of("seeds", "abc");
    String key = DatasetBuilder.generationKey(a, inputs);
    assertThat(DatasetBuilder.generationKey(a.toBuilder().build(), inputs)).isEqualTo(key);
    assertThat(DatasetBuilder.generationKey(otherModel, inputs)).isNotEqualTo(key);
    assertThat(DatasetBuilder.generationKey(otherTemperature, inputs)).isNotEqualTo(key);
  }
}

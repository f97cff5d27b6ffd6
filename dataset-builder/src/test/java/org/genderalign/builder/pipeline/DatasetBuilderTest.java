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
import org.genderalign.core.dataset.AuditSettings;
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
    assertThat(stats.at("/diversity/chosen/most_common_share").asDouble()).isLessThan(0.05);
    String card = Files.readString(tmp.resolve("a/README.md"));
    assertThat(card).contains("| stereotypes |").contains(Hashing.sha256(tmp.resolve("a/train.jsonl")))
        .contains("CC0-1.0");
    assertThat(Files.readString(tmp.resolve("a/categories.svg"))).contains("<svg").contains("stereotypes");

    // Drop counts agree everywhere: the result, stats.json, the card and dropped.jsonl (every drop
    // is written aside with its filter), and they add up: generated = kept + filter drops,
    // exported = kept − rebalance.
    Map<String, Integer> perFilter = new TreeMap<>();
    for (String line : Files.readAllLines(tmp.resolve("a/dropped.jsonl"))) {
      perFilter.merge(new ObjectMapper().readTree(line).get("filter").asText(), 1, Integer::sum);
    }
    Map<String, Integer> nonZero = new TreeMap<>(a.drops());
    nonZero.values().removeIf(v -> v == 0);
    assertThat(perFilter).isEqualTo(nonZero);
    a.drops().forEach((f, n) -> {
      assertThat(stats.at("/drops/" + f).asInt()).as(f).isEqualTo(n);
      assertThat(card).contains("| " + f + " | " + n + " |");
    });
    int filtered = a.drops().entrySet().stream().filter(e -> !e.getKey().equals("rebalance"))
        .mapToInt(Map.Entry::getValue).sum();
    int kept = stats.at("/candidates/kept_after_filters").asInt();
    assertThat(a.candidates()).isEqualTo(kept + filtered);
    assertThat(kept - a.drops().get("rebalance")).isEqualTo(300);
    assertThat(a.drops().get("near_duplicate")).isPositive();
    assertNearDuplicateDropsMatchAnIndependentRecount(tmp.resolve("a"), a);

    // The shortcut audit of the exported pairs, beside the release sample's, passes its thresholds.
    assertThat(stats.at("/shortcut_audit/data_set/pairs").asInt()).isEqualTo(300);
    assertThat(stats.at("/shortcut_audit/release_sample/pairs").asInt()).isEqualTo(101);
    assertThat(stats.at("/shortcut_audit/data_set/longer_chosen_share").asDouble()).isBetween(0.35, 0.65);
    assertThat(stats.at("/shortcut_audit/data_set/tokens/over").asInt()).isZero();
    assertThat(stats.at("/shortcut_audit/warnings")).isEmpty();
    assertThat(a.warnings()).isEmpty();
    assertThat(card).contains("## Shortcut audit").contains("| longer answer is the chosen one |")
        .contains("**Warnings:** none").contains("## Sample pairs").contains("> **Human:** ");
    // Each sample pair is an exported pair, quoted whole.
    for (String cat : List.of("stereotypes", "discriminatory_language", "occupational_educational_sexism",
        "marginalized_gender_bias")) {
      int at = card.indexOf("\n**" + cat + "** (`");
      assertThat(at).as(cat).isPositive();
      String id = "ga-" + card.substring(card.indexOf('`', at) + 1, card.indexOf('`', card.indexOf('`', at) + 1));
      PreferencePair p = java.util.stream.Stream.concat(train.stream(), test.stream())
          .filter(x -> x.id().equals(id)).findFirst().orElseThrow();
      assertThat(p.category()).isEqualTo(cat);
      assertThat(card).contains("> **Chosen:** " + p.chosen() + "\n").contains("> **Rejected:** " + p.rejected() + "\n");
    }
  }

  /**
   * Re-counts the near-duplicate drops without the builder's MinHash index: exact word 2-shingle
   * Jaccard of every prompt against the prompts kept before it, in build order, over the
   * candidates that reached the filter (not dropped by an earlier one).
   */
  static void assertNearDuplicateDropsMatchAnIndependentRecount(Path out, BuildResult r) throws IOException {
    ObjectMapper m = new ObjectMapper();
    Map<String, String> dropFilter = new java.util.HashMap<>();
    for (String line : Files.readAllLines(out.resolve("dropped.jsonl"))) {
      JsonNode d = m.readTree(line);
      dropFilter.put(d.get("id").asText(), d.get("filter").asText());
    }
    Set<String> earlier = Set.of("generation_failed", "length", "empty_or_refusal");
    List<Set<String>> keptShingles = new java.util.ArrayList<>();
    Set<String> expected = new java.util.TreeSet<>();
    for (String line : Files.readAllLines(out.resolve(".build/candidates.jsonl"))) {
      JsonNode c = m.readTree(line);
      if (!c.has("prompt") || earlier.contains(dropFilter.getOrDefault(c.get("id").asText(), ""))) {
        continue;
      }
      Set<String> sh = shingles(c.get("prompt").asText());
      boolean dup = false;
      for (Set<String> k : keptShingles) {
        Set<String> inter = new HashSet<>(sh);
        inter.retainAll(k);
        if (inter.size() >= 0.8 * (sh.size() + k.size() - inter.size())) {
          dup = true;
          break;
        }
      }
      if (dup) {
        expected.add(c.get("id").asText());
      } else {
        keptShingles.add(sh);
      }
    }
    Set<String> actual = new java.util.TreeSet<>();
    dropFilter.forEach((id, f) -> {
      if (f.equals("near_duplicate")) {
        actual.add(id);
      }
    });
    assertThat(actual).hasSize(r.drops().get("near_duplicate")).isEqualTo(expected);
  }

  /** Word 2-shingles: lower-cased runs of letters, digits and apostrophes, joined in pairs. */
  static Set<String> shingles(String text) {
    List<String> w = new java.util.ArrayList<>();
    for (String t : text.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}']+")) {
      if (!t.isEmpty()) {
        w.add(t);
      }
    }
    Set<String> out = new HashSet<>();
    for (int i = 0; i + 1 < w.size(); i++) {
      out.add(w.get(i) + " " + w.get(i + 1));
    }
    if (out.isEmpty() && !w.isEmpty()) {
      out.add(w.get(0));
    }
    return out;
  }

  @Test
  void shortcutThresholdsFromTheConfigWarnInTheResultStatsAndCard(@TempDir Path tmp) throws Exception {
    AuditSettings strict = new AuditSettings(null, null, null, null, null, null, null, null, null, null, 0.99, null,
        null);
    BuildResult r = DatasetBuilder.build(SMALL.toBuilder().target(100).audit(strict).build(), opts(tmp));
    assertThat(r.warnings()).hasSize(2);
    assertThat(r.warnings().get(0)).startsWith("low diversity: distinct-2 of the chosen answers");
    assertThat(r.warnings().get(1)).startsWith("low diversity: distinct-2 of the rejected answers");
    JsonNode stats = new ObjectMapper().readTree(tmp.resolve("stats.json").toFile());
    assertThat(stats.at("/shortcut_audit/warnings/0").asText()).isEqualTo(r.warnings().get(0));
    assertThat(stats.at("/shortcut_audit/settings/minDistinct2").asDouble()).isEqualTo(0.99);
    assertThat(Files.readString(tmp.resolve("README.md"))).contains("- " + r.warnings().get(0));
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

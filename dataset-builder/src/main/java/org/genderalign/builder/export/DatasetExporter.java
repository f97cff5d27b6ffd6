package org.genderalign.builder.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.builder.categorize.MixPlanner;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.builder.seed.SeedPreparer;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.PairFiles;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.io.Hashing;
import org.genderalign.core.provenance.Provenance;

/**
 * Writes a built data set to its output folder with the core formats, every file atomically.
 * Hashed files contain no time: the time, the git revision and the run's duration live in
 * {@code provenance.json} only.
 */
public final class DatasetExporter {

  /** Output files, in the order the dataset card lists them. */
  public static final List<String> FILES = List.of("train.jsonl", "test.jsonl", "genderalign.json", "pairs.csv",
      "stats.json", "categories.svg", "build-config.json", "dropped.jsonl", "dropped-seeds.jsonl");
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper LINES = new ObjectMapper();

  private DatasetExporter() {}

  /** Writes every file and the card; returns file → sha256 (README.md last, included). */
  public static Map<String, String> export(Path out, List<PreferencePair> train, List<PreferencePair> test,
      BuildReport report, String configJson) throws IOException {
    try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
      Map<String, String> hashes = export(batch, out, train, test, report, configJson);
      batch.commit();
      return hashes;
    }
  }

  /**
   * Stages every file and the card in {@code batch}: a build that fails half-way through the
   * export (a full disk) changes none of the earlier build's files. Returns file → sha256.
   */
  public static Map<String, String> export(AtomicFiles.Batch batch, Path out, List<PreferencePair> train,
      List<PreferencePair> test, BuildReport report, String configJson) throws IOException {
    Files.createDirectories(out);
    List<PreferencePair> all = new ArrayList<>(train);
    all.addAll(test);
    String splitFormat = report.config().effectiveExportFormat();
    PairFiles.writeAll(batch, out.resolve("train.jsonl"), Formats.pairs(splitFormat), train);
    PairFiles.writeAll(batch, out.resolve("test.jsonl"), Formats.pairs(splitFormat), test);
    PairFiles.writeAll(batch, out.resolve("genderalign.json"), Formats.pairs("genderalign"), all);
    PairFiles.writeAll(batch, out.resolve("pairs.csv"), Formats.pairs("csv"), all);
    Map<String, Object> stats = report.stats();
    batch.writeString(out.resolve("stats.json"), JSON.writeValueAsString(stats) + "\n");
    List<String> cats = new ArrayList<>(MixPlanner.BIAS_CATEGORIES);
    cats.add("none");
    batch.writeString(out.resolve("categories.svg"),
        CategoryChart.svg(report.bySplit(s -> s.rejected().category().id()), cats,
            "GenderAlign build: " + all.size() + " pairs by category") + "\n");
    batch.writeString(out.resolve("build-config.json"), configJson);
    batch.write(out.resolve("dropped.jsonl"), tmp -> {
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        for (BuildReport.Drop d : report.dropped()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", d.candidate().id());
          m.put("seed_id", d.candidate().seedId());
          m.put("filter", d.filter());
          m.put("reason", d.reason());
          m.put("prompt", d.candidate().prompt());
          m.put("chosen", d.candidate().chosen());
          m.put("rejected", d.candidate().rejected());
          w.write(LINES.writeValueAsString(m));
          w.write('\n');
        }
      }
    });
    batch.write(out.resolve("dropped-seeds.jsonl"), tmp -> {
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        for (SeedPreparer.Dropped d : report.prepared().dropped()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", d.seed().id());
          m.put("source", d.seed().source());
          m.put("reason", d.reason());
          m.put("text", d.seed().text());
          w.write(LINES.writeValueAsString(m));
          w.write('\n');
        }
      }
    });
    Map<String, String> hashes = new LinkedHashMap<>();
    for (String f : FILES) {
      hashes.put(f, Hashing.sha256(batch.staged(out.resolve(f))));
    }
    batch.writeString(out.resolve("README.md"), DatasetCard.render(report, stats, hashes));
    hashes.put("README.md", Hashing.sha256(batch.staged(out.resolve("README.md"))));
    return hashes;
  }

  /** Writes {@code provenance.json}: config, inputs, outputs, time, revision (not hashed). */
  public static void writeProvenance(Path out, BuildConfig cfg, Map<String, String> inputs,
      Map<String, String> outputs, double seconds, int resumedCandidates) throws IOException {
    try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
      writeProvenance(batch, out, cfg, inputs, outputs, seconds, resumedCandidates);
      batch.commit();
    }
  }

  /** Stages {@code provenance.json} in {@code batch}. */
  public static void writeProvenance(AtomicFiles.Batch batch, Path out, BuildConfig cfg, Map<String, String> inputs,
      Map<String, String> outputs, double seconds, int resumedCandidates) throws IOException {
    Provenance p = Provenance.of("dataset build", cfg, cfg.seed());
    for (Map.Entry<String, String> e : inputs.entrySet()) {
      p = p.withInputHash(e.getKey(), e.getValue());
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("provenance", p);
    doc.put("outputs", outputs);
    doc.put("seconds", Math.round(seconds * 1000) / 1000.0);
    doc.put("resumed_candidates", resumedCandidates);
    try {
      batch.writeString(out.resolve("provenance.json"), JSON.writeValueAsString(doc) + "\n");
    } catch (JsonProcessingException e) {
      throw new IOException("cannot serialise provenance", e);
    }
  }
}

package org.genderalign.cli.taxonomy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.taxonomy.exemplar.ExemplarSet;

/** Small helpers shared by the taxonomy commands: provenance files and paths beside outputs. */
final class Outputs {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Outputs() {}

  static Path sibling(Path out, String suffix) {
    return out.resolveSibling(out.getFileName() + suffix);
  }

  /**
   * Writes {@code <out>.provenance.json}: tool, config (a record), the input's sha256, the
   * exemplar set's sha256 (library versions are collected by {@link Provenance#of}).
   */
  static void provenance(String tool, Object config, Long seed, Path in, Path out) throws IOException {
    try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
      provenance(batch, tool, config, seed, in, out);
      batch.commit();
    }
  }

  /** As {@link #provenance(String, Object, Long, Path, Path)}, staged in {@code batch}. */
  static void provenance(AtomicFiles.Batch batch, String tool, Object config, Long seed, Path in, Path out)
      throws IOException {
    Provenance p = Provenance.of(tool, config, seed)
        .withInput(in.getFileName().toString(), in)
        .withInputHash("taxonomy-exemplars", ExemplarSet.shippedSha256());
    batch.writeString(sibling(out, ".provenance.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(p)
        + "\n");
  }

  /**
   * Stages the rejects file of a pair job in {@code batch}: kept when records were skipped,
   * else dropped, and a stale one of an earlier run removed at commit.
   */
  static void rejects(AtomicFiles.Batch batch, Path rejects, long skipped) throws IOException {
    if (skipped == 0) {
      batch.discard(rejects);
      batch.deleteOnCommit(rejects);
    }
  }

  static String json(Object o) throws IOException {
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o);
  }
}

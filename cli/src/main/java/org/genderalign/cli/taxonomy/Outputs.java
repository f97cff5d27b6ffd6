package org.genderalign.cli.taxonomy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
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

  /** Writes {@code <out>.provenance.json}: tool, config, the input's sha256, the exemplar set's sha256. */
  static void provenance(String tool, Map<String, Object> config, Path in, Path out) throws IOException {
    Provenance p = Provenance.of(tool, config, config.get("seed") instanceof Long s ? s : null)
        .withInput(in.getFileName().toString(), in)
        .withInputHash("taxonomy-exemplars", ExemplarSet.shippedSha256())
        .withLibrary("lucene", org.apache.lucene.util.Version.LATEST.toString());
    AtomicFiles.writeString(sibling(out, ".provenance.json"),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(p) + "\n");
  }

  static String json(Object o) throws IOException {
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o);
  }
}

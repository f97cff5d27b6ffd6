package org.genderalign.builder.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.genderalign.builder.KeywordClassifier;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.builder.pipeline.DatasetBuilder;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.io.Hashing;
import org.genderalign.core.io.OutputException;
import org.genderalign.core.testing.SmallDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build whose export meets a full disk (a real 1 MB tmpfs) fails with a clear error naming
 * the file, leaves no temporary file, and changes none of the earlier build's files: the data
 * set, card and provenance are one batch that appears whole or not at all.
 */
class ExportFullDiskTest {

  @TempDir Path tmp;

  private static Map<String, String> outputs(Path out) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    for (String f : DatasetExporter.FILES) {
      m.put(f, Hashing.sha256(out.resolve(f)));
    }
    m.put("README.md", Hashing.sha256(out.resolve("README.md")));
    m.put("provenance.json", Hashing.sha256(out.resolve("provenance.json")));
    return m;
  }

  @Test
  void aFullDiskDuringTheExportKeepsTheEarlierBuildWhole() throws Exception {
    try (SmallDisk disk = SmallDisk.mount(tmp.resolve("disk"), "1m")) {
      Path out = disk.dir().resolve("ds");
      DataRoot root = DataRoot.fromEnvironment();
      DatasetBuilder.build(BuildConfig.builder().target(40).build(),
          DatasetBuilder.Options.of(out, root, new KeywordClassifier()));
      Map<String, String> before = outputs(out);

      // the next build generates into its journal, then the disk is full at the export
      disk.fill();
      assertThatThrownBy(() -> DatasetBuilder.build(BuildConfig.builder().target(40).seed(9L).build(),
          DatasetBuilder.Options.of(out, root, new KeywordClassifier())))
          .isInstanceOf(OutputException.class).hasMessageContaining("cannot write " + out)
          .hasMessageContaining("No space left on device");
      assertThat(outputs(out)).isEqualTo(before);
      try (Stream<Path> s = Files.list(out)) {
        assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList()).isEmpty();
      }
      assertThat(List.of(before.keySet().toArray())).hasSize(DatasetExporter.FILES.size() + 2);
    }
  }
}

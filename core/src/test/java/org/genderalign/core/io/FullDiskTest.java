package org.genderalign.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.format.ErrorPolicy;
import org.genderalign.core.format.Importer;
import org.genderalign.core.format.TrlFormat;
import org.genderalign.core.testing.SmallDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The atomic writers on a real full disk (a 64 KB tmpfs) and on a folder that turned read-only:
 * a clear {@link OutputException} naming the file, no partial or temporary file left, and the
 * earlier version of the output intact.
 */
class FullDiskTest {

  @TempDir Path tmp;

  private static long entries(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(p -> !p.getFileName().toString().equals(".filler")).count();
    }
  }

  @Test
  void aFullDiskGivesAClearErrorAndKeepsTheEarlierOutput() throws Exception {
    try (SmallDisk disk = SmallDisk.mount(tmp.resolve("disk"), "64k")) {
      Path out = disk.dir().resolve("out.txt");
      AtomicFiles.writeString(out, "earlier\n");
      String big = "x".repeat(200_000);
      assertThatThrownBy(() -> AtomicFiles.writeString(out, big)).isInstanceOf(OutputException.class)
          .hasMessageStartingWith("cannot write " + out + ": No space left on device")
          .hasMessageContaining("nothing was written there; an earlier version is kept");
      assertThat(Files.readString(out)).isEqualTo("earlier\n");
      assertThat(entries(disk.dir())).isEqualTo(1); // no temporary file left

      // a batch: the output and its provenance together, or neither
      Path prov = disk.dir().resolve("out.txt.provenance.json");
      assertThatThrownBy(() -> {
        try (AtomicFiles.Batch b = AtomicFiles.batch()) {
          b.writeString(prov, "{}");
          b.writeString(out, big);
          b.commit();
        }
      }).isInstanceOf(OutputException.class).hasMessageContaining(out.toString());
      assertThat(prov).doesNotExist();
      assertThat(Files.readString(out)).isEqualTo("earlier\n");
      assertThat(entries(disk.dir())).isEqualTo(1);

      // an import that fills the disk half-way: no output, no rejects, no temporary file
      StringBuilder pairs = new StringBuilder();
      for (int i = 0; i < 2000; i++) {
        pairs.append("{\"prompt\":\"p").append(i).append("\",\"chosen\":\"a fairly long chosen answer\","
            + "\"rejected\":\"r\"}\n");
      }
      Path in = tmp.resolve("in.jsonl");
      Files.writeString(in, pairs);
      Path imported = disk.dir().resolve("pairs.jsonl");
      assertThatThrownBy(() -> Importer.run(new TrlFormat(), in, new TrlFormat(), imported, ErrorPolicy.SKIP))
          .isInstanceOf(OutputException.class).hasMessageContaining("pairs.jsonl");
      assertThat(imported).doesNotExist();
      assertThat(entries(disk.dir())).isEqualTo(1);
    }
  }

  @Test
  void aReadOnlyFolderGivesAClearErrorAndNoFile() throws Exception {
    try (SmallDisk disk = SmallDisk.mount(tmp.resolve("ro"), "64k")) {
      Path out = disk.dir().resolve("out.txt");
      AtomicFiles.writeString(out, "earlier\n");
      disk.readOnly();
      assertThatThrownBy(() -> AtomicFiles.writeString(out, "new\n")).isInstanceOf(OutputException.class)
          .hasMessageStartingWith("cannot write " + out + ": Read-only file system");
      assertThat(Files.readString(out)).isEqualTo("earlier\n");
      assertThat(entries(disk.dir())).isEqualTo(1);
    }
  }

  @Test
  void anEmptyInputWritesNothingAtAll() throws Exception {
    Path in = Files.writeString(tmp.resolve("empty.jsonl"), "");
    Path out = tmp.resolve("o/out.jsonl");
    assertThatThrownBy(() -> Importer.run(new TrlFormat(), in, new TrlFormat(), out, ErrorPolicy.SKIP))
        .isInstanceOf(InvalidInputException.class).hasMessage("no pairs in " + in);
    assertThat(entries(out.getParent())).isZero();
  }
}

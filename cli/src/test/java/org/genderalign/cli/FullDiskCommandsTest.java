package org.genderalign.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.genderalign.core.testing.SmallDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands on a full disk (a real 256 KB tmpfs, filled) and on a folder turned read-only:
 * exit 1 with one line naming the file and the reason; no new output, provenance or temporary
 * file; the earlier outputs intact.
 */
class FullDiskCommandsTest {

  @TempDir Path tmp;

  private static List<String> names(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".filler")).sorted().toList();
    }
  }

  @Test
  void importAndScoreOnAFullDisk() throws Exception {
    Path in = tmp.resolve("pairs.jsonl");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      sb.append("{\"id\":\"p").append(i).append("\",\"prompt\":\"Once upon a time, a girl met a dog.\","
          + "\"chosen\":\" They played.\",\"rejected\":\" It ran off.\"}\n");
    }
    Files.writeString(in, sb);
    Path small = Files.writeString(tmp.resolve("small.jsonl"), sb.substring(0, sb.indexOf("\n") + 1));
    try (SmallDisk disk = SmallDisk.mount(tmp.resolve("disk"), "256k")) {
      Path out = disk.dir().resolve("out.jsonl");
      CliRun first = CliRun.of("dataset", "import", "--format", "trl", "--in", small.toString(), "--out", out.toString());
      assertThat(first.code()).as(first.err()).isZero();
      Path scored = disk.dir().resolve("scored.jsonl");
      CliRun firstScore = CliRun.of("score", "--model", "stories260K", "--in", small.toString(), "--out",
          scored.toString(), "--max-length", "32");
      assertThat(firstScore.code()).as(firstScore.err()).isZero();
      String earlierOut = Files.readString(out);
      String earlierScores = Files.readString(scored);
      List<String> before = names(disk.dir());
      disk.fill();

      CliRun imp = CliRun.of("dataset", "import", "--format", "trl", "--in", in.toString(), "--out", out.toString());
      assertThat(imp.code()).isEqualTo(1);
      assertThat(imp.err().lines()).hasSize(1);
      assertThat(imp.err()).startsWith("error: cannot write " + out + ": No space left on device")
          .contains("an earlier version is kept");
      assertThat(Files.readString(out)).isEqualTo(earlierOut);
      assertThat(names(disk.dir())).isEqualTo(before);

      CliRun score = CliRun.of("score", "--model", "stories260K", "--in", in.toString(), "--out", scored.toString(),
          "--max-length", "32");
      assertThat(score.code()).isEqualTo(1);
      assertThat(score.err().lines()).hasSize(1);
      assertThat(score.err()).startsWith("error: cannot write " + scored + ".partial: No space left on device")
          .contains("re-run with --resume");
      assertThat(Files.readString(scored)).isEqualTo(earlierScores);
      assertThat(names(disk.dir())).containsAll(before)
          .allMatch(n -> before.contains(n) || n.equals("scored.jsonl.partial")
              || n.equals("scored.jsonl.dropped.jsonl.partial"));
    }
  }

  @Test
  void aReadOnlyOutputFolderIsRefusedBeforeAnyWork() throws Exception {
    Path in = Files.writeString(tmp.resolve("one.jsonl"), "{\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"r\"}\n");
    try (SmallDisk disk = SmallDisk.mount(tmp.resolve("ro"), "64k")) {
      disk.readOnly();
      CliRun r = CliRun.of("dataset", "import", "--format", "trl", "--in", in.toString(), "--out",
          disk.dir().resolve("o.jsonl").toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).isEqualTo("error: --out " + disk.dir().resolve("o.jsonl") + ": folder " + disk.dir()
          + " is not writable\n");
      CliRun t = CliRun.of("train", "dpo", "--model", "stories260K", "--data", in.toString(), "--out",
          disk.dir().resolve("run").toString());
      assertThat(t.code()).isEqualTo(2);
      assertThat(t.err()).isEqualTo("error: --out " + disk.dir().resolve("run") + ": folder " + disk.dir()
          + " is not writable\n");
      assertThat(names(disk.dir())).isEmpty();
    }
  }
}

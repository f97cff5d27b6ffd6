package org.genderalign.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.genderalign.core.data.PreferencePair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A single 20 MB JSON line (one huge completion) reads and writes without a length limit. */
class LargeLineTest {

  @TempDir Path dir;

  @Test
  void twentyMegabyteLine() throws Exception {
    int n = 20 * 1024 * 1024;
    Path f = dir.resolve("big.jsonl");
    try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
      w.write("{\"prompt\":\"q\",\"chosen\":\"");
      char[] chunk = new char[1 << 16];
      for (int i = 0; i < chunk.length; i++) {
        chunk[i] = (char) ('a' + i % 26);
      }
      for (int done = 0; done < n; done += chunk.length) {
        w.write(chunk, 0, Math.min(chunk.length, n - done));
      }
      w.write("\",\"rejected\":\"b\"}\n{\"prompt\":\"q2\",\"chosen\":\"c\",\"rejected\":\"d\"}\n");
    }
    List<PreferencePair> ps = PairFiles.readAll(f, new TrlFormat());
    assertThat(ps).hasSize(2);
    assertThat(ps.get(0).chosen()).hasSize(n);
    assertThat(ps.get(0).chosen().charAt(n - 1)).isEqualTo((char) ('a' + (n - 1) % (1 << 16) % 26));
    assertThat(ps.get(1).id()).isEqualTo("big-2");
    Path out = dir.resolve("out.jsonl");
    ImportResult r = Importer.run(new TrlFormat(), f, new TrlFormat(), out, ErrorPolicy.FAIL);
    assertThat(r.imported()).isEqualTo(2);
    assertThat(Files.size(out)).isGreaterThan(n);
  }
}

package org.genderalign.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.genderalign.core.io.FolderManifest;
import org.genderalign.core.io.OutputException;
import org.genderalign.core.testing.SmallDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints on a full disk (a real 256 KB tmpfs) and on a folder turned read-only: a clear
 * error naming the checkpoint, no temporary folder left, the earlier checkpoints intact (their
 * manifests still verify) and still the ones a resume picks.
 */
class CheckpointFullDiskTest {

  @TempDir Path tmp;

  @Test
  void aFullDiskFailsTheSaveAndKeepsTheEarlierCheckpoints() throws Exception {
    try (SmallDisk disk = SmallDisk.mount(tmp.resolve("disk"), "256k")) {
      CheckpointManager cm = new CheckpointManager(disk.dir().resolve("checkpoints"), 2);
      cm.save(1, d -> Files.write(d.resolve("w.bin"), new byte[40_000]));
      cm.save(2, d -> Files.write(d.resolve("w.bin"), new byte[40_000]));
      assertThatThrownBy(() -> cm.save(3, d -> Files.write(d.resolve("w.bin"), new byte[400_000])))
          .isInstanceOf(OutputException.class)
          .hasMessageStartingWith("cannot write " + cm.dir().resolve("checkpoint-00000003"))
          .hasMessageContaining("No space left on device");
      assertThat(cm.list()).extracting(p -> p.getFileName().toString())
          .containsExactly("checkpoint-00000001", "checkpoint-00000002");
      for (Path c : cm.list()) {
        assertThat(FolderManifest.problems(c)).isEmpty();
      }
      try (Stream<Path> s = Files.list(cm.dir())) {
        assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp"));
      }
      assertThat(cm.latestIntact(line -> { }).checkpoint()).contains(cm.dir().resolve("checkpoint-00000002"));

      disk.readOnly();
      assertThatThrownBy(() -> cm.save(4, d -> Files.write(d.resolve("w.bin"), new byte[10])))
          .isInstanceOf(OutputException.class).hasMessageContaining("Read-only file system");
      assertThat(cm.list()).hasSize(2);
    }
  }
}

package org.genderalign.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path dir;

  private long filesIn(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.count();
    }
  }

  @Test
  void writesIntoNewParentDirectories() throws Exception {
    Path target = dir.resolve("a/b/out.txt");
    AtomicFiles.writeString(target, "héllo");
    assertThat(Files.readString(target)).isEqualTo("héllo");
    assertThat(filesIn(target.getParent())).isEqualTo(1);
    AtomicFiles.writeBytes(target, new byte[] {1, 2});
    assertThat(Files.readAllBytes(target)).containsExactly(1, 2);
    assertThat(filesIn(target.getParent())).isEqualTo(1);
  }

  @Test
  void failureLeavesNeitherTargetNorTemporaryFile() throws Exception {
    Path target = dir.resolve("out.txt");
    assertThatThrownBy(() -> AtomicFiles.write(target, tmp -> {
      Files.writeString(tmp, "partial");
      assertThat(tmp.getParent()).isEqualTo(dir);
      assertThat(tmp.getFileName().toString()).startsWith(".out.txt.").endsWith(".tmp");
      throw new IOException("disk full");
    })).isInstanceOf(IOException.class).hasMessage("disk full");
    assertThat(filesIn(dir)).isZero();
  }

  @Test
  void failureKeepsThePreviousVersion() throws Exception {
    Path target = dir.resolve("out.txt");
    Files.writeString(target, "old");
    assertThatThrownBy(() -> AtomicFiles.write(target, tmp -> {
      Files.writeString(tmp, "new but broken");
      throw new IllegalStateException("bad record");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(Files.readString(target)).isEqualTo("old");
    assertThat(filesIn(dir)).isEqualTo(1);
    AtomicFiles.writeString(target, "new");
    assertThat(Files.readString(target)).isEqualTo("new");
  }

  @Test
  void newFilesAreWorldReadableAndExistingModesAreKept() throws Exception {
    Path fresh = dir.resolve("fresh.txt");
    AtomicFiles.writeString(fresh, "x");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        java.nio.file.Files.getPosixFilePermissions(fresh))).isEqualTo("rw-r--r--");
    java.nio.file.Files.setPosixFilePermissions(fresh,
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
    AtomicFiles.writeString(fresh, "y");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        java.nio.file.Files.getPosixFilePermissions(fresh))).isEqualTo("rw-rw----");
  }

  @Test
  void relativeTargetWorks() throws Exception {
    Path rel = Path.of("target", "atomic-files-test-" + System.nanoTime() + ".txt");
    try {
      AtomicFiles.writeString(rel, "x");
      assertThat(Files.readString(rel)).isEqualTo("x");
    } finally {
      Files.deleteIfExists(rel);
    }
  }

  @Test
  void hashing() throws Exception {
    assertThat(Hashing.sha256("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    Path f = dir.resolve("f");
    Files.writeString(f, "abc");
    assertThat(Hashing.sha256(f)).isEqualTo(Hashing.sha256("abc".getBytes()));
  }
}

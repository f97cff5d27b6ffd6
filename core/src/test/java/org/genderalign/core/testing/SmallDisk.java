package org.genderalign.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real, tiny file system for full-disk and read-only tests: a {@code tmpfs} of a given size
 * mounted on a folder (needs root, as on the project's machines). Where mounting is not
 * permitted the test is skipped with a message saying so ({@link Assumptions}), never passed
 * silently. Close to unmount.
 */
public final class SmallDisk implements AutoCloseable {

  private final Path dir;

  private SmallDisk(Path dir) {
    this.dir = dir;
  }

  /** Mounts a {@code tmpfs} of {@code size} (e.g. {@code 64k}, {@code 1m}) on {@code dir} (created). */
  public static SmallDisk mount(Path dir, String size) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    String out = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()));
    Assumptions.assumeTrue(out == null, () -> "skipped: cannot mount a small tmpfs to simulate a full disk "
        + "(needs root / CAP_SYS_ADMIN): " + out);
    return new SmallDisk(dir);
  }

  /** The mount point. */
  public Path dir() {
    return dir;
  }

  /** Remounts read-only: every write fails with EROFS, as on a folder that became unwritable. */
  public void readOnly() throws IOException, InterruptedException {
    String out = run(List.of("mount", "-o", "remount,ro", dir.toString()));
    if (out != null) {
      throw new IOException("cannot remount read-only: " + out);
    }
  }

  /** Fills the rest of the disk with a file, so that any further write fails with ENOSPC. */
  public void fill() throws IOException {
    Path f = dir.resolve(".filler");
    byte[] block = new byte[4096];
    try (var os = Files.newOutputStream(f, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND)) {
      while (true) {
        os.write(block);
      }
    } catch (IOException full) {
      // the disk is full now
    }
  }

  @Override
  public void close() throws IOException {
    String out;
    try {
      out = run(List.of("umount", "-l", dir.toString()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while unmounting " + dir, e);
    }
    if (out != null) {
      throw new IOException("cannot unmount " + dir + ": " + out);
    }
  }

  /** Runs a command; null on success, else its output. */
  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.getMessage();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "timed out";
    }
    return p.exitValue() == 0 ? null : (out.isEmpty() ? "exit " + p.exitValue() : out);
  }
}

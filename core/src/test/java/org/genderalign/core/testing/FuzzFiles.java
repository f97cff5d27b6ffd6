package org.genderalign.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Scratch files for fuzz targets: the readers take paths, so each input is written to a file of
 * the wanted name in one temporary folder per JVM (reused: a fuzzing child runs many thousands
 * of inputs), in {@code /dev/shm} when there is one.
 */
public final class FuzzFiles {

  private static final Path DIR;

  static {
    try {
      // In memory where the system has it: a file write on a busy disk costs milliseconds, which
      // would be most of each fuzzing execution.
      Path shm = Path.of("/dev/shm");
      DIR = Files.isDirectory(shm) && Files.isWritable(shm)
          ? Files.createTempDirectory(shm, "genderalign-fuzz-")
          : Files.createTempDirectory("genderalign-fuzz-");
      DIR.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private FuzzFiles() {}

  /** The scratch folder. */
  public static Path dir() {
    return DIR;
  }

  /** Writes {@code data} to {@code name} in the scratch folder and returns its path. */
  public static Path write(String name, byte[] data) {
    try {
      Path f = DIR.resolve(name);
      Files.write(f, data);
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

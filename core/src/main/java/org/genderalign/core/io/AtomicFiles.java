package org.genderalign.core.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes that either complete or leave nothing: output goes to a temporary file beside the
 * target and is renamed over it at the end, so a crash or a bad input never leaves a partial
 * file where a user (or a resumed run) would take it for a finished one.
 */
public final class AtomicFiles {

  private AtomicFiles() {}

  /** Something that writes a file at the given (temporary) path. */
  @FunctionalInterface
  public interface FileWriterAction {
    void writeTo(Path tmp) throws IOException;
  }

  /** Runs {@code action} on a temporary sibling of {@code target}, then moves it into place. */
  public static void write(Path target, FileWriterAction action) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
    boolean ok = false;
    try {
      action.writeTo(tmp);
      // createTempFile makes the file owner-only (0600); outputs are ordinary files that other
      // users and tools must read, so give them the usual 0644 (or keep the old target's mode).
      publish(tmp, abs);
      ok = true;
    } finally {
      if (!ok) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** Writes a string (UTF-8) atomically. */
  public static void writeString(Path target, String content) throws IOException {
    write(target, tmp -> Files.writeString(tmp, content));
  }

  /** Writes bytes atomically. */
  public static void writeBytes(Path target, byte[] content) throws IOException {
    write(target, tmp -> Files.write(tmp, content));
  }

  /**
   * Moves a finished temporary file over {@code target} (atomically where the file system can),
   * giving it ordinary permissions: for callers that write a second file beside the one
   * {@link #write} manages.
   */
  public static void publish(Path tmp, Path target) throws IOException {
    setPermissions(tmp, target);
    move(tmp, target);
  }

  private static void setPermissions(Path tmp, Path target) throws IOException {
    if (!tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.exists(target)
        ? Files.getPosixFilePermissions(target)
        : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
    Files.setPosixFilePermissions(tmp, perms);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}

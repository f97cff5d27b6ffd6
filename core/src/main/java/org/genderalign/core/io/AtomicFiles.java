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

  /**
   * Runs {@code action} on a temporary sibling of {@code target}, then moves it into place.
   *
   * @throws OutputException when the file system refuses the write (full, read-only, …): the
   *     temporary file is gone and an earlier {@code target} is untouched
   */
  public static void write(Path target, FileWriterAction action) throws IOException {
    Path abs = target.toAbsolutePath();
    Path tmp = temporarySibling(abs);
    boolean ok = false;
    try {
      action.writeTo(tmp);
      // createTempFile makes the file owner-only (0600); outputs are ordinary files that other
      // users and tools must read, so give them the usual 0644 (or keep the old target's mode).
      publish(tmp, abs);
      ok = true;
    } catch (IOException e) {
      throw asOutputFailure(e, target, tmp);
    } finally {
      if (!ok) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * {@code e} as an {@link OutputException} when it is the file system refusing to write
   * {@code target} (no space, read-only, quota, or an error about the temporary file or the
   * target itself), else {@code e} unchanged (a failed read of an input stays what it is).
   */
  public static IOException asOutputFailure(IOException e, Path target, Path tmp) {
    if (e instanceof OutputException) {
      return e;
    }
    String m = String.valueOf(e.getMessage());
    boolean refused = m.contains("No space left") || m.contains("Read-only file system")
        || m.contains("Disk quota") || m.contains("File too large");
    if (!refused && e instanceof java.nio.file.FileSystemException f && f.getFile() != null) {
      String file = f.getFile();
      refused = file.equals(tmp.toString()) || file.equals(target.toAbsolutePath().toString())
          || file.equals(target.toString());
    }
    return refused ? new OutputException(target, e) : e;
  }

  private static Path temporarySibling(Path abs) throws IOException {
    Path dir = abs.getParent();
    try {
      if (dir != null) {
        Files.createDirectories(dir);
      }
      return Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
    } catch (java.nio.file.FileSystemException e) {
      throw new OutputException(abs, e);
    }
  }

  /**
   * Several outputs that appear together or not at all (an output and its provenance, a rejects
   * file beside it): each is written to a temporary sibling; {@link #commit()} moves them all
   * into place (and removes the files marked stale); closing without commit removes the
   * temporaries, leaving every earlier output as it was.
   */
  public static final class Batch implements AutoCloseable {
    private final java.util.LinkedHashMap<Path, Path> temps = new java.util.LinkedHashMap<>();
    private final java.util.List<Path> stale = new java.util.ArrayList<>();
    private boolean committed;

    /** A temporary file to write {@code target}'s new content to. */
    public Path add(Path target) throws IOException {
      Path abs = target.toAbsolutePath();
      Path tmp = temporarySibling(abs);
      temps.put(abs, tmp);
      return tmp;
    }

    /** Writes {@code target} as part of the batch. */
    public void write(Path target, FileWriterAction action) throws IOException {
      Path tmp = add(target);
      try {
        action.writeTo(tmp);
      } catch (IOException e) {
        throw asOutputFailure(e, target, tmp);
      }
    }

    /** Writes {@code target}'s text as part of the batch. */
    public void writeString(Path target, String content) throws IOException {
      write(target, tmp -> Files.writeString(tmp, content));
    }

    /** The temporary file holding {@code target}'s new content (null when not in the batch). */
    public Path staged(Path target) {
      return temps.get(target.toAbsolutePath());
    }

    /** Drops {@code target} from the batch (its temporary file is removed now). */
    public void discard(Path target) throws IOException {
      Path tmp = temps.remove(target.toAbsolutePath());
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
    }

    /** {@code target} is removed at commit (a stale output of an earlier run). */
    public void deleteOnCommit(Path target) {
      stale.add(target.toAbsolutePath());
    }

    /** Moves every file into place, then removes the stale ones. */
    public void commit() throws IOException {
      for (java.util.Map.Entry<Path, Path> e : temps.entrySet()) {
        try {
          publish(e.getValue(), e.getKey());
        } catch (IOException x) {
          throw asOutputFailure(x, e.getKey(), e.getValue());
        }
      }
      committed = true;
      for (Path p : stale) {
        Files.deleteIfExists(p);
      }
    }

    @Override
    public void close() throws IOException {
      if (!committed) {
        for (Path tmp : temps.values()) {
          Files.deleteIfExists(tmp);
        }
      }
    }
  }

  /** A new batch of outputs written all or nothing. */
  public static Batch batch() {
    return new Batch();
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

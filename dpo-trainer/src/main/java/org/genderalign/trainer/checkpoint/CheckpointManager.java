package org.genderalign.trainer.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.genderalign.core.io.FolderManifest;
import org.genderalign.core.io.OutputException;

/**
 * Checkpoint folders {@code checkpoint-00000050} under one directory. A checkpoint is written
 * into a hidden temporary folder, given a {@link FolderManifest} (size and sha256 of every
 * file) and renamed into place in one atomic step, so a folder with the final name is always
 * complete — a run killed mid-save leaves only a temporary folder, which the next manager
 * removes. After each save only the newest {@code keepLast} remain.
 *
 * <p>Before a resume, {@link #latestIntact} checks the newest checkpoints against their
 * manifests: a damaged one (a file truncated or changed on disk since) is reported, moved
 * aside as {@code damaged-checkpoint-N-…}, and the previous intact one is used.
 */
public final class CheckpointManager {

  /** Folder-name pattern of a finished checkpoint. */
  public static final Pattern NAME = Pattern.compile("checkpoint-(\\d{8})");
  private static final String TMP_PREFIX = ".tmp-checkpoint-";

  private final Path dir;
  private final int keepLast;

  /** Writes a checkpoint's files into the (temporary) folder it is given. */
  @FunctionalInterface
  public interface Writer {
    void write(Path folder) throws IOException;
  }

  /**
   * @param dir the folder holding checkpoints (created if missing)
   * @param keepLast how many to keep (≥ 1)
   */
  public CheckpointManager(Path dir, int keepLast) throws IOException {
    if (keepLast < 1) {
      throw new IllegalArgumentException("keepLast must be >= 1, got " + keepLast);
    }
    this.dir = dir;
    this.keepLast = keepLast;
    Files.createDirectories(dir);
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith(TMP_PREFIX)).toList()) {
        deleteTree(p); // left by a run killed while saving
      }
    }
  }

  public Path dir() {
    return dir;
  }

  /** Saves the checkpoint of {@code step} atomically and prunes old ones; returns its folder. */
  public Path save(long step, Writer writer) throws IOException {
    Path finalDir = dir.resolve(String.format("checkpoint-%08d", step));
    Path tmp;
    try {
      tmp = Files.createTempDirectory(dir, TMP_PREFIX + step + "-");
    } catch (java.nio.file.FileSystemException e) {
      throw new OutputException(finalDir, e);
    }
    boolean ok = false;
    try {
      try {
        writer.write(tmp);
        FolderManifest.write(tmp);
      } catch (IOException e) {
        // a full disk or a folder turned read-only: said with the checkpoint's name; the earlier
        // checkpoints are untouched and this one's temporary folder is removed below
        String m = String.valueOf(e.getMessage());
        if (e instanceof OutputException) {
          throw e;
        }
        throw e instanceof java.nio.file.FileSystemException || m.contains("No space left")
            || m.contains("Read-only file system") || m.contains("Disk quota") ? new OutputException(finalDir, e) : e;
      }
      if (Files.exists(finalDir)) {
        deleteTree(finalDir); // the same step saved again (e.g. after a resume)
      }
      try {
        Files.move(tmp, finalDir, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, finalDir);
      }
      ok = true;
    } finally {
      if (!ok) {
        deleteTree(tmp);
      }
    }
    prune();
    return finalDir;
  }

  /** Finished checkpoints, oldest first. */
  public List<Path> list() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> NAME.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))
          .sorted(Comparator.comparingLong(CheckpointManager::stepOf))
          .forEach(out::add);
    }
    return out;
  }

  /** The newest finished checkpoint, if any. */
  public Optional<Path> latest() throws IOException {
    List<Path> all = list();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /**
   * The checkpoint a resume may start from and the damaged ones skipped on the way.
   *
   * @param checkpoint the newest intact checkpoint, if any
   * @param damaged one line per damaged checkpoint (name: what is wrong), newest first
   */
  public record Resumable(Optional<Path> checkpoint, List<String> damaged) {}

  /**
   * The newest checkpoint whose files match its manifest. Each newer, damaged one is reported
   * to {@code report} and moved aside ({@code damaged-checkpoint-N-<time>}, kept for
   * inspection but never picked again or pruned as if it were good).
   */
  public Resumable latestIntact(Consumer<String> report) throws IOException {
    List<Path> all = list();
    List<String> damaged = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0; i--) {
      Path c = all.get(i);
      List<String> problems = FolderManifest.problems(c);
      if (problems.isEmpty()) {
        return new Resumable(Optional.of(c), damaged);
      }
      String line = c.getFileName() + " is damaged (" + String.join("; ", problems) + ")";
      damaged.add(line);
      Path aside = dir.resolve("damaged-" + c.getFileName() + "-" + System.currentTimeMillis());
      Files.move(c, aside);
      report.accept(line + "; moved aside to " + aside.getFileName()
          + (i > 0 ? "; trying " + all.get(i - 1).getFileName() : ""));
    }
    return new Resumable(Optional.empty(), damaged);
  }

  /** The step a checkpoint folder belongs to. */
  public static long stepOf(Path checkpoint) {
    Matcher m = NAME.matcher(checkpoint.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a checkpoint folder: " + checkpoint);
    }
    return Long.parseLong(m.group(1));
  }

  private void prune() throws IOException {
    List<Path> all = list();
    for (int i = 0; i < all.size() - keepLast; i++) {
      deleteTree(all.get(i));
    }
  }

  /** Deletes a folder tree (files first). */
  public static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> {
        try {
          Files.delete(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}

package org.genderalign.trainer.checkpoint;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.io.FolderManifest;
import org.genderalign.core.testing.FuzzFiles;
import org.genderalign.trainer.training.TrainingLoop;

/**
 * Fuzz targets of the training checkpoint's files (run by {@code ReaderFuzzCampaignTest}): the
 * raw tensor files (weights, optimizer moments, adapters), the manifest a resume checks, and
 * {@code trainer_state.json}.
 */
class CheckpointFuzzer {

  @FuzzTest
  void tensorFile(byte[] data) throws IOException {
    Path f = FuzzFiles.write("trainable.tensors", data);
    try {
      TensorFile.index(f);
    } catch (InvalidInputException expected) {
      // a clear error
    }
  }

  /** {@code manifest.json} fuzzed in a folder of two real files. */
  @FuzzTest
  void manifest(byte[] data) throws IOException {
    Path dir = folder();
    Files.write(dir.resolve(FolderManifest.FILE), data);
    try {
      FolderManifest.read(dir);
    } catch (InvalidInputException expected) {
      // a clear error
    }
    FolderManifest.problems(dir); // never throws for a bad manifest: it lists it as a problem
  }

  @FuzzTest
  void trainerState(byte[] data) throws IOException {
    Path dir = folder();
    Files.write(dir.resolve("trainer_state.json"), data);
    try {
      TrainingLoop.readState(dir);
    } catch (InvalidInputException expected) {
      // a clear error
    }
  }

  private static Path dir;

  private static Path folder() {
    try {
      if (dir == null) {
        dir = Files.createDirectories(FuzzFiles.dir().resolve("checkpoint-00000002"));
        Files.writeString(dir.resolve("a.tensors"), "abc");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/b.txt"), "");
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package org.genderalign.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.checkpoint.CheckpointManager;
import org.genderalign.trainer.dpo.DpoFixtures;
import org.genderalign.trainer.dpo.DpoTrainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A latest checkpoint damaged on disk after it was written — one byte flipped, or a file cut
 * short — is found by its manifest on {@code --resume}, reported, moved aside, and the previous
 * intact checkpoint is used: the run still ends bit-identical to an uninterrupted one.
 */
class DamagedCheckpointTest {

  static final long STEPS = 5;

  @TempDir Path tmp;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream oldErr;

  @BeforeEach
  void captureStderr() {
    oldErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(oldErr);
  }

  /** A run that "crashes" right after saving the checkpoint of step {@code crashAfter}. */
  private static DpoTrainer.Report run(Path out, boolean resume, long crashAfter) throws IOException {
    StepListener crash = new StepListener() {
      @Override
      public void checkpointSaved(long step, Path folder) {
        if (step == crashAfter) {
          throw new IllegalStateException("simulated crash after checkpoint " + step);
        }
      }
    };
    return DpoTrainer.run(DpoFixtures.run(out, DpoFixtures.training(STEPS, 1), DpoFixtures.lora(), false, null,
        resume), () -> TinyModels.tiny(3), DpoFixtures.pairs(8), List.of(), Provenance.of("test", null, 5L), crash);
  }

  private static byte[] adapter(Path out) throws IOException {
    return Files.readAllBytes(out.resolve("final/" + PolicyModel.ADAPTER_DIR + "/adapter.tensors"));
  }

  private Path crashedAfterCheckpoint3(String name) throws IOException {
    Path out = tmp.resolve(name);
    assertThatThrownBy(() -> run(out, false, 3)).hasMessageContaining("simulated crash");
    assertThat(new CheckpointManager(out.resolve(TrainingLoop.CHECKPOINTS_DIR), 3).list())
        .extracting(p -> p.getFileName().toString())
        .containsExactly("checkpoint-00000001", "checkpoint-00000002", "checkpoint-00000003");
    return out;
  }

  @Test
  void aCorruptedOrTruncatedLatestCheckpointIsReportedAndThePreviousOneUsed() throws IOException {
    Path straight = tmp.resolve("straight");
    run(straight, false, -1);

    // 1. one byte of the weights flipped
    Path flipped = crashedAfterCheckpoint3("flipped");
    Path weights = flipped.resolve("checkpoints/checkpoint-00000003/" + TrainingLoop.TRAINABLE_FILE);
    try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
      f.seek(f.length() / 2);
      int b = f.read();
      f.seek(f.length() / 2);
      f.write(b ^ 0x10);
    }
    DpoTrainer.Report r = run(flipped, true, -1);
    assertThat(r.result().resumedFrom()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("warning: checkpoint-00000003 is damaged (trainable.tensors: sha256 differs from the manifest (corrupted))")
        .contains("resuming from the last intact checkpoint, checkpoint-00000002");
    assertThat(adapter(flipped)).isEqualTo(adapter(straight));
    try (var s = Files.list(flipped.resolve("checkpoints"))) {
      assertThat(s.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("damaged-checkpoint-00000003-"));
    }

    // 2. the optimizer state cut short (a disk that filled up under a copy, say)
    err.reset();
    Path cut = crashedAfterCheckpoint3("truncated");
    Path moments = cut.resolve("checkpoints/checkpoint-00000003/" + TrainingLoop.OPTIMIZER_FILE);
    try (RandomAccessFile f = new RandomAccessFile(moments.toFile(), "rw")) {
      f.setLength(f.length() - 100);
    }
    DpoTrainer.Report r2 = run(cut, true, -1);
    assertThat(r2.result().resumedFrom()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("checkpoint-00000003 is damaged (optimizer.tensors: ")
        .contains("(truncated)");
    assertThat(adapter(cut)).isEqualTo(adapter(straight));
  }

  @Test
  void resumeWithNothingToResumeSaysSoAndEveryCheckpointDamagedIsAnError() throws IOException {
    Path out = tmp.resolve("fresh");
    run(out, true, -1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("resume: no checkpoint in ")
        .contains("starting from step 0");

    Path bad = crashedAfterCheckpoint3("all-bad");
    for (Path c : new CheckpointManager(bad.resolve(TrainingLoop.CHECKPOINTS_DIR), 3).list()) {
      Files.delete(c.resolve(org.genderalign.core.io.FolderManifest.FILE));
    }
    assertThatThrownBy(() -> run(bad, true, -1)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cannot resume: every checkpoint is damaged")
        .hasMessageContaining("manifest.json: missing");
  }
}

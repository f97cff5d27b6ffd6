package org.genderalign.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointManagerTest {

  @TempDir Path tmp;

  @Test
  void savesAtomicallyKeepsTheLastKAndCleansUpInterruptedSaves() throws IOException {
    Files.createDirectories(tmp.resolve("ckpt/.tmp-checkpoint-7-123")); // a killed save
    CheckpointManager cm = new CheckpointManager(tmp.resolve("ckpt"), 2);
    assertThat(Files.exists(tmp.resolve("ckpt/.tmp-checkpoint-7-123"))).isFalse();
    for (long step : new long[] {10, 20, 30}) {
      cm.save(step, d -> Files.writeString(d.resolve("x.txt"), "step " + step));
    }
    assertThat(cm.list()).extracting(p -> p.getFileName().toString())
        .containsExactly("checkpoint-00000020", "checkpoint-00000030");
    assertThat(Files.readString(cm.latest().orElseThrow().resolve("x.txt"))).isEqualTo("step 30");
    assertThat(CheckpointManager.stepOf(cm.latest().get())).isEqualTo(30);

    assertThatThrownBy(() -> cm.save(40, d -> {
      Files.writeString(d.resolve("partial"), "x");
      throw new IOException("disk full");
    })).hasMessage("disk full");
    assertThat(cm.latest().map(CheckpointManager::stepOf)).contains(30L);
    try (var s = Files.list(tmp.resolve("ckpt"))) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp"));
    }
  }

  @Test
  void tensorFileRoundTripsBitExactly() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> in = new LinkedHashMap<>();
      in.put("a.weight", m.randomNormal(new Shape(3, 4)));
      in.put("b", m.create(new double[] {Double.MIN_VALUE, -0.0, 1e300}));
      in.put("scalar", m.create(7L));
      in.put("half", m.randomNormal(new Shape(5)).toType(DataType.FLOAT16, false));
      Path f = tmp.resolve("t.bin");
      TensorFile.write(f, in);
      Map<String, NDArray> out = TensorFile.read(f, m, null);
      assertThat(out.keySet()).containsExactlyElementsOf(in.keySet());
      for (String k : in.keySet()) {
        assertThat(out.get(k).getShape()).isEqualTo(in.get(k).getShape());
        assertThat(out.get(k).getDataType()).isEqualTo(in.get(k).getDataType());
        assertThat(out.get(k).toByteArray()).isEqualTo(in.get(k).toByteArray());
      }
      Files.writeString(tmp.resolve("bad.bin"), "nope");
      assertThatThrownBy(() -> TensorFile.read(tmp.resolve("bad.bin"), m, null))
          .isInstanceOf(org.genderalign.core.error.InvalidInputException.class).hasMessageContaining("bad.bin");
    }
  }
}

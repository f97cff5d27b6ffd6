package org.genderalign.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * The in-memory TorchScript archive: what libtorch's {@code torch.jit.load} needs, nothing else,
 * and a module compiled from it computes what its source says (several methods, list and int
 * arguments, in-place writes into an argument).
 */
class TorchScriptModuleTest {

  @Test
  void archiveHoldsTheFourRecordsUncompressed() throws Exception {
    byte[] zip = TorchScriptModule.archive("Affine", "class Affine(Module):\n  pass\n");
    List<String> names = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
        assertThat(e.getMethod()).as(e.getName()).isEqualTo(ZipEntry.STORED);
        byte[] data = in.readAllBytes();
        if (e.getName().endsWith("version")) {
          assertThat(new String(data, StandardCharsets.US_ASCII))
              .isEqualTo(TorchScriptModule.FORMAT_VERSION + "\n");
        }
        if (e.getName().endsWith("constants.pkl")) {
          assertThat(data).containsExactly(0x80, 2, ')', '.'); // an empty tuple
        }
      }
    }
    assertThat(names).containsExactly("module/data.pkl", "module/code/__torch__.py",
        "module/constants.pkl", "module/version");
    // byte-stable: the same source gives the same archive
    assertThat(TorchScriptModule.archive("Affine", "class Affine(Module):\n  pass\n"))
        .isEqualTo(zip);
  }

  /** The pickle torch.jit.save writes for a parameterless module, without its memo opcodes. */
  @Test
  void modulePickleIsTheModuleObjectWithItsTwoAttributes() {
    byte[] p = TorchScriptModule.modulePickle("Affine");
    String expected = "\u0080\u0002c__torch__\nAffine\n)\u0081}(X\u0008\u0000\u0000\u0000training"
        + "\u0088X\u0016\u0000\u0000\u0000_is_full_backward_hookNub.";
    assertThat(p).isEqualTo(expected.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void compiledModuleRunsEveryMethod() {
    try (NDManager m = NDManager.newBaseManager()) {
      PtSymbolBlock module = TorchScriptModule.load(m, "affine_test.py", "Affine");
      NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
      NDArray w = m.create(new float[] {1, 0, 1, 1}, new Shape(2, 2));
      NDArray bias = m.create(new float[] {10, 20});
      try (IValue xs = IValue.from((PtNDArray) x);
          IValue ws = IValue.listFrom((PtNDArray) w, (PtNDArray) bias);
          IValue scale = IValue.from(3L);
          IValue out = module.forward(xs, ws, scale)) {
        // x·wᵀ = [[1, 3], [3, 7]]; ·3 + bias
        assertThat(out.toTensor((PtNDManager) m).toFloatArray())
            .containsExactly(13f, 29f, 19f, 41f);
      }
      try (IValue xs = IValue.from((PtNDArray) x);
          IValue row = IValue.from(1L);
          IValue sum = IValueUtils.runMethod(module, "clear_row", xs, row)) {
        assertThat(sum.toTensor((PtNDManager) m).getFloat()).isEqualTo(3f);
        assertThat(x.toFloatArray()).containsExactly(1f, 2f, 0f, 0f); // written in place
      }
    }
  }

  @Test
  void badNamesAndMissingSourcesFailClearly() {
    assertThatThrownBy(() -> TorchScriptModule.archive("not a name", ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a name");
    try (NDManager m = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> TorchScriptModule.load(m, "missing.py", "Missing"))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("missing.py");
    }
  }
}

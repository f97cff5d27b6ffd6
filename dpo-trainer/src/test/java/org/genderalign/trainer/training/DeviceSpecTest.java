package org.genderalign.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

class DeviceSpecTest {

  @Test
  void parsesAndRejectsWithReasons() {
    assertThat(DeviceSpec.parse("cpu")).containsExactly(Device.cpu());
    assertThat(DeviceSpec.parse(" CPU ")).containsExactly(Device.cpu());
    if (Engine.getInstance().getGpuCount() == 0) {
      assertThat(DeviceSpec.parse("all")).containsExactly(Device.cpu());
      assertThatThrownBy(() -> DeviceSpec.parse("gpu0,gpu1")).hasMessageContaining("sees 0 GPU");
    }
    assertThatThrownBy(() -> DeviceSpec.parse("cpu,cpu")).hasMessageContaining("listed twice");
    assertThatThrownBy(() -> DeviceSpec.parse("tpu0")).hasMessageContaining("expected cpu, gpuN");
  }

  @Test
  void precisionIsFp32OnTheCpuAndBf16OnlyOnAGpu() {
    assertThat(DeviceSpec.dataType("fp32", Device.cpu(), true)).isEqualTo(ai.djl.ndarray.types.DataType.FLOAT32);
    assertThat(DeviceSpec.dataType("AUTO", Device.cpu(), true)).isEqualTo(ai.djl.ndarray.types.DataType.FLOAT32);
    assertThat(DeviceSpec.dataType("auto", Device.gpu(0), true)).isEqualTo(ai.djl.ndarray.types.DataType.BFLOAT16);
    assertThat(DeviceSpec.dataType("auto", Device.gpu(0), false)).isEqualTo(ai.djl.ndarray.types.DataType.FLOAT32);
    assertThat(DeviceSpec.dataType("bf16", Device.gpu(0), false)).isEqualTo(ai.djl.ndarray.types.DataType.BFLOAT16);
    assertThatThrownBy(() -> DeviceSpec.dataType("bf16", Device.cpu(), true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--precision bf16 needs a GPU");
    assertThatThrownBy(() -> DeviceSpec.dataType("fp8", Device.cpu(), true))
        .hasMessage("bad --precision 'fp8'; expected auto, fp32 or bf16");
  }
}

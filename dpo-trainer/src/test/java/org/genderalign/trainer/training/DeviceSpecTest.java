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
}

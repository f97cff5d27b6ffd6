package org.genderalign.trainer.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code --devices} option: {@code cpu}, a list such as {@code gpu0,gpu1}, or {@code all}
 * (every GPU, else the CPU). Validated against what the engine sees.
 */
public final class DeviceSpec {

  private DeviceSpec() {}

  /** The devices {@code spec} names, in order. */
  public static List<Device> parse(String spec) {
    String s = spec == null ? "cpu" : spec.trim().toLowerCase(Locale.ROOT);
    int gpus = Engine.getInstance().getGpuCount();
    List<Device> out = new ArrayList<>();
    if (s.equals("all")) {
      for (int i = 0; i < gpus; i++) {
        out.add(Device.gpu(i));
      }
      if (out.isEmpty()) {
        out.add(Device.cpu());
      }
      return out;
    }
    for (String part : s.split(",")) {
      String p = part.trim();
      if (p.equals("cpu")) {
        out.add(Device.cpu());
      } else if (p.matches("gpu\\d+")) {
        int id = Integer.parseInt(p.substring(3));
        if (id >= gpus) {
          throw new IllegalArgumentException("device " + p + " not available: the engine sees " + gpus + " GPU(s)");
        }
        out.add(Device.gpu(id));
      } else {
        throw new IllegalArgumentException("bad device '" + p + "'; expected cpu, gpuN[,gpuM…] or all");
      }
    }
    if (out.stream().distinct().count() != out.size()) {
      throw new IllegalArgumentException("device listed twice in '" + spec + "'");
    }
    if (out.size() > 1 && out.stream().anyMatch(d -> !d.isGpu())) {
      // a CPU replica would make every step wait for the slowest device by far
      throw new IllegalArgumentException("data parallel runs over GPUs only; give cpu alone or gpuN[,gpuM…]");
    }
    return out;
  }

  /**
   * The weight type of the {@code --precision} setting on {@code device}: {@code fp32};
   * {@code bf16} (a GPU only: CPU matmuls in bf16 are slow and inexact); {@code auto} = bf16
   * weights on a GPU with LoRA (adapters and loss stay float32), else fp32.
   */
  public static DataType dataType(String precision, Device device, boolean lora) {
    switch (String.valueOf(precision).toLowerCase(Locale.ROOT)) {
      case "fp32":
        return DataType.FLOAT32;
      case "bf16":
        if (!device.isGpu()) {
          throw new IllegalArgumentException("--precision bf16 needs a GPU (CPU matmuls in bf16 are slow and inexact)");
        }
        return DataType.BFLOAT16;
      case "auto":
        return device.isGpu() && lora ? DataType.BFLOAT16 : DataType.FLOAT32;
      default:
        throw new IllegalArgumentException("bad --precision '" + precision + "'; expected auto, fp32 or bf16");
    }
  }
}

package org.genderalign.trainer.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
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
}

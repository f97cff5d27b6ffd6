package org.genderalign.trainer.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * Parsing of the {@code --device} and {@code --dtype} options: devices {@code auto} (the first
 * GPU if DJL finds one, else the CPU), {@code cpu}, {@code gpu}, {@code gpu:N}; weight types
 * {@code float32}, {@code bfloat16}, {@code float16} (the last two on a GPU only).
 */
public final class Devices {

  /** Default device option. */
  public static final String DEFAULT_DEVICE = "auto";
  /** Default weight type. */
  public static final String DEFAULT_DTYPE = "float32";

  private Devices() {}

  /** The device named by {@code spec}. */
  public static Device parse(String spec) {
    String s = spec == null ? DEFAULT_DEVICE : spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("auto")) {
      return Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }
    if (s.equals("cpu")) {
      return Device.cpu();
    }
    if (s.equals("gpu") || s.equals("cuda")) {
      return requireGpu(0);
    }
    if (s.matches("(gpu|cuda):\\d+")) {
      return requireGpu(Integer.parseInt(s.substring(s.indexOf(':') + 1)));
    }
    throw new IllegalArgumentException("unknown device '" + spec
        + "' (expected auto, cpu, gpu or gpu:N)");
  }

  private static Device requireGpu(int id) {
    int n = Engine.getInstance().getGpuCount();
    if (id >= n) {
      throw new IllegalArgumentException("device gpu:" + id + " requested but DJL sees " + n
          + " GPU(s) (is a CUDA build of libtorch and libcudart available?)");
    }
    return Device.gpu(id);
  }

  /** The weight type named by {@code spec}, checked against the device. */
  public static DataType parseType(String spec, Device device) {
    String s = spec == null ? DEFAULT_DTYPE : spec.trim().toLowerCase(Locale.ROOT);
    DataType t = switch (s) {
      case "float32", "fp32", "f32" -> DataType.FLOAT32;
      case "bfloat16", "bf16" -> DataType.BFLOAT16;
      case "float16", "fp16", "f16", "half" -> DataType.FLOAT16;
      default -> throw new IllegalArgumentException("unknown dtype '" + spec
          + "' (expected float32, bfloat16 or float16)");
    };
    if (t != DataType.FLOAT32 && !device.isGpu()) {
      throw new IllegalArgumentException("dtype " + s + " needs a GPU; the CPU runs float32");
    }
    return t;
  }
}

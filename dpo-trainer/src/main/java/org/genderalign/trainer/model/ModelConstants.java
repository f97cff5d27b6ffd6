package org.genderalign.trainer.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Constants a forward pass needs — RMSNorm epsilon, the attention scale, the mask value and the
 * RoPE cos/sin tables — created once per device and type in the model's own manager, so that
 * they outlive every backward pass (scalar {@code Number} operands do not: djl-notes trap 1) and
 * are not recomputed per step.
 */
final class ModelConstants {

  /** The scalars. */
  enum Kind { NORM_EPS, ATTN_SCALE, MASK_NEG }

  /** Large negative for masked attention scores; finite so that a fully masked row is uniform. */
  static final float MASK_VALUE = -1e9f;

  private final LlamaConfig config;
  private final Supplier<NDManager> manager;
  private final Map<String, NDArray> cache = new ConcurrentHashMap<>();

  ModelConstants(LlamaConfig config, Supplier<NDManager> manager) {
    this.config = config;
    this.manager = manager;
  }

  NDArray scalar(Device device, DataType type, Kind kind) {
    return cache.computeIfAbsent(kind + "/" + device + "/" + type, k -> {
      float v = switch (kind) {
        case NORM_EPS -> (float) config.normEps();
        case ATTN_SCALE -> (float) (1.0 / Math.sqrt(config.headDim()));
        case MASK_NEG -> MASK_VALUE;
      };
      NDArray a = manager.get().create(v).toDevice(device, false).toType(type, false);
      a.setRequiresGradient(false);
      return a;
    });
  }

  /**
   * RoPE tables {@code [cos, sin]}, each {@code (L, headDim)} with {@code L >= length}, already
   * expanded to the model's {@link RopeLayout} (each angle appears at both dimensions of its
   * pair). Grown in powers of two so that huge {@code maxSeqLen}s cost nothing until used.
   */
  NDArray[] rope(Device device, DataType type, int length) {
    if (length > config.maxSeqLen()) {
      throw new IllegalArgumentException("sequence of " + length
          + " positions exceeds the model's maxSeqLen " + config.maxSeqLen());
    }
    int l = Math.min(config.maxSeqLen(), Math.max(512, Integer.highestOneBit(length - 1) << 1));
    l = Math.max(l, length);
    String key = "rope/" + l + "/" + device + "/" + type;
    NDArray cos = cache.get(key + "/cos");
    if (cos == null) {
      synchronized (this) {
        cos = cache.get(key + "/cos");
        if (cos == null) {
          float[][] t = ropeTables(config, l);
          NDManager m = manager.get();
          NDArray c = m.create(t[0], new Shape(l, config.headDim())).toDevice(device, false)
              .toType(type, false);
          NDArray s = m.create(t[1], new Shape(l, config.headDim())).toDevice(device, false)
              .toType(type, false);
          cache.put(key + "/sin", s);
          cache.put(key + "/cos", c);
          cos = c;
        }
      }
    }
    return new NDArray[] {cos, cache.get(key + "/sin")};
  }

  /**
   * Plain-Java RoPE tables {@code [cos, sin]} of {@code length × headDim}, flattened row-major.
   * Frequencies as llama2.c computes them in float: {@code theta^(-2j/headDim)}.
   */
  static float[][] ropeTables(LlamaConfig c, int length) {
    int hd = c.headDim();
    int half = hd / 2;
    float[] cos = new float[length * hd];
    float[] sin = new float[length * hd];
    for (int pos = 0; pos < length; pos++) {
      for (int j = 0; j < half; j++) {
        float freq = (float) (1.0 / Math.pow(c.ropeTheta(), (2.0 * j) / hd));
        float val = pos * freq;
        float cv = (float) Math.cos(val);
        float sv = (float) Math.sin(val);
        int a;
        int b;
        if (c.ropeLayout() == RopeLayout.INTERLEAVED) {
          a = 2 * j;
          b = 2 * j + 1;
        } else {
          a = j;
          b = j + half;
        }
        cos[pos * hd + a] = cv;
        cos[pos * hd + b] = cv;
        sin[pos * hd + a] = sv;
        sin[pos * hd + b] = sv;
      }
    }
    return new float[][] {cos, sin};
  }

  /** Closes every cached constant (when the model's weights are closed). */
  void clear() {
    cache.values().forEach(NDArray::close);
    cache.clear();
  }
}

package org.genderalign.trainer.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The KV cache of generation: per layer one preallocated buffer
 * {@code (B, 2, nKvHeads, capacity, headDim)} (keys, then values), written in place
 * ({@code NDArray.set} on a slice, PyTorch's {@code copy_} into a view) at the filled length; attention reads only the filled
 * prefix (a view, no copy). Unlike {@link KvCache}, which concatenates and so copies the whole
 * cache every step, a step here costs only the new column.
 *
 * <p>The rows of a batch share columns: a left-padded prompt block fills columns
 * {@code [0, promptWidth)}, and each step writes one more column for every row. Padding columns
 * are hidden by a per-row additive mask set once at the prefill ({@link #setKeyPadding}).
 * {@link #keepRows} drops finished rows from the batch (one gather per buffer), so that later
 * steps compute only the live ones.
 *
 * <p>Not for training: nothing here keeps gradients. Close it (try-with-resources) to free the
 * buffers.
 */
public final class GenerationCache implements AutoCloseable {

  private final NDManager manager;
  /** Per layer {@code (B, 2, KV, capacity, hd)}: keys at {@code [:, 0]}, values at {@code [:, 1]}. */
  private final NDArray[] kv;
  private final int capacity;
  private final int nHeads;
  private final int nKvHeads;
  /** RoPE of one new token as one matmul, see {@link #stepRope}. */
  private final NDArray rotation;
  private final NDArray cosScale;
  private final NDArray cosBias;
  private final NDArray sinScale;
  private long batch;
  private int length;
  /** {@code (B, 1, 1, capacity)} float32: 0 for visible columns, a large negative for padding. */
  private NDArray padMask;
  /** {@code (B, capacity)} bool: the same as {@code padMask}, for the prefill's causal mask. */
  private NDArray keep;

  /**
   * @param parent the manager the cache's own sub-manager is made from (its device is used)
   * @param config the model's config
   * @param batch rows
   * @param capacity columns (positions) every row can hold: prompt width + new tokens
   * @param type the activation type (the model's weight type)
   */
  public GenerationCache(NDManager parent, LlamaConfig config, long batch, int capacity,
      DataType type) {
    if (batch < 1 || capacity < 1) {
      throw new IllegalArgumentException("batch and capacity must be >= 1: " + batch + ", "
          + capacity);
    }
    this.manager = parent.newSubManager();
    this.capacity = capacity;
    this.batch = batch;
    this.nHeads = config.nHeads();
    this.nKvHeads = config.nKvHeads();
    int n = config.nLayers();
    this.kv = new NDArray[n];
    int hd = config.headDim();
    Shape shape = new Shape(batch, 2, nKvHeads, capacity, hd);
    for (int i = 0; i < n; i++) {
      kv[i] = manager.zeros(shape, type);
    }
    // rot(x) = x · R: the RoPE partner of each dimension, negated where the rotation says so
    float[] r = new float[hd * hd];
    for (int j = 0; j < hd / 2; j++) {
      int a = config.ropeLayout() == RopeLayout.INTERLEAVED ? 2 * j : j;
      int b = config.ropeLayout() == RopeLayout.INTERLEAVED ? 2 * j + 1 : j + hd / 2;
      r[b * hd + a] = -1f; // rot[a] = -x[b]
      r[a * hd + b] = 1f; // rot[b] = x[a]
    }
    this.rotation = manager.create(r, new Shape(hd, hd)).toType(type, false);
    // per head of the fused [q | k | v] slab: q rotated and scaled by 1/sqrt(hd), k rotated,
    // v untouched (cos 1, sin 0)
    int heads = nHeads + 2 * nKvHeads;
    float scale = (float) (1.0 / Math.sqrt(hd));
    float[] cs = new float[heads];
    float[] cb = new float[heads];
    float[] ss = new float[heads];
    for (int h = 0; h < heads; h++) {
      boolean q = h < nHeads;
      boolean v = h >= nHeads + nKvHeads;
      cs[h] = q ? scale : v ? 0f : 1f;
      cb[h] = v ? 1f : 0f;
      ss[h] = cs[h];
    }
    this.cosScale = manager.create(cs, new Shape(heads, 1)).toType(type, false);
    this.cosBias = manager.create(cb, new Shape(heads, 1)).toType(type, false);
    this.sinScale = manager.create(ss, new Shape(heads, 1)).toType(type, false);
  }

  /** Columns filled so far (the past length of the next forward pass). */
  public int length() {
    return length;
  }

  public int capacity() {
    return capacity;
  }

  /** Rows in the batch now. */
  public long batch() {
    return batch;
  }

  public Device device() {
    return manager.getDevice();
  }

  /**
   * Marks padding columns: {@code keep (B, w)} is 1 for real tokens and 0 for padding, for
   * columns {@code [0, w)}; later columns are all visible. Call before the first forward pass.
   */
  public void setKeyPadding(long[] keepFlags, int width) {
    if (keepFlags.length != batch * width || width > capacity) {
      throw new IllegalArgumentException("padding flags must be (B, w) with w <= capacity");
    }
    float[] add = new float[(int) (batch * capacity)];
    boolean[] k = new boolean[(int) (batch * capacity)];
    boolean any = false;
    for (int r = 0; r < batch; r++) {
      for (int c = 0; c < capacity; c++) {
        boolean visible = c >= width || keepFlags[r * width + c] != 0;
        k[r * capacity + c] = visible;
        add[r * capacity + c] = visible ? 0f : ModelConstants.MASK_VALUE;
        any |= !visible;
      }
    }
    closeMasks();
    if (any) {
      padMask = manager.create(add, new Shape(batch, 1, 1, capacity));
      keep = manager.create(k, new Shape(batch, capacity));
    }
  }

  /**
   * Writes one layer's new keys and values {@code (B, KV, T, hd)} at columns
   * {@code [length, length + T)} in place and returns views of the filled ones
   * {@code (B, KV, length + T, hd)}, attached to {@code k}'s manager (so that they are freed
   * with the step that made them).
   */
  NDArray[] write(int layer, NDArray k, NDArray v) {
    long t = k.getShape().get(2);
    if (length + t > capacity) {
      throw new IllegalStateException("generation cache full: " + length + " + " + t + " > "
          + capacity);
    }
    kv[layer].set(new NDIndex().addAllDim().addIndices(0).addAllDim()
        .addSliceDim(length, length + t), k);
    kv[layer].set(new NDIndex().addAllDim().addIndices(1).addAllDim()
        .addSliceDim(length, length + t), v);
    return filled(layer, (int) t, k.getManager());
  }

  /**
   * Writes one new column: {@code kvNew (B, 2·KV, hd)} (the keys' heads, then the values') at
   * column {@code length}, in place, and returns views of the filled keys and values
   * {@code (B, KV, length + 1, hd)}.
   */
  NDArray[] writeStep(int layer, NDArray kvNew) {
    if (length + 1 > capacity) {
      throw new IllegalStateException("generation cache full: " + length + " + 1 > " + capacity);
    }
    Shape s = kvNew.getShape();
    kv[layer].set(new NDIndex().addAllDim(3).addSliceDim(length, length + 1),
        kvNew.reshape(s.get(0), 2, nKvHeads, 1, s.get(2)));
    return filled(layer, 1, kvNew.getManager());
  }

  private NDArray[] filled(int layer, int t, NDManager into) {
    NDArray fk = kv[layer].get(new NDIndex().addAllDim().addIndices(0).addAllDim()
        .addSliceDim(0, length + t));
    NDArray fv = kv[layer].get(new NDIndex().addAllDim().addIndices(1).addAllDim()
        .addSliceDim(0, length + t));
    fk.attach(into);
    fv.attach(into);
    return new NDArray[] {fk, fv};
  }

  /**
   * The RoPE of one new token per row as {@code x·cos + (x·R)·sin} over the fused
   * {@code [q | k | v]} heads {@code (B, H + 2·KV, hd)}: {@code [cos, sin, R]} with cos/sin
   * {@code (B, H + 2·KV, hd)} built from the rows' {@code cos, sin (B, 1, hd)} — q heads also
   * carry the softmax scale, v heads pass unchanged (cos 1, sin 0; {@code x·1 + r·0 = x}
   * exactly). One set per step, shared by every layer; the rotation partner is a matmul with a
   * signed permutation {@code R (hd, hd)}, exact in floating point.
   */
  NDArray[] stepRope(NDArray cos, NDArray sin) {
    return new NDArray[] {cos.mul(cosScale).add(cosBias), sin.mul(sinScale), rotation};
  }

  /** Called once per forward pass after every layer has written {@code t} columns. */
  void advance(int t) {
    length += t;
  }

  /**
   * The additive padding mask of the filled columns plus {@code t} new ones,
   * {@code (B, 1, 1, length + t)}, in {@code into}'s manager; null when no column is padding.
   */
  NDArray paddingMask(int t, NDManager into) {
    if (padMask == null) {
      return null;
    }
    NDArray m = padMask.get(new NDIndex().addAllDim(3).addSliceDim(0, length + t));
    m.attach(into);
    return m;
  }

  /** The key-padding flags {@code (B, length + t)} (true = visible), or null when none pads. */
  NDArray keepFlags(int t, NDManager into) {
    if (keep == null) {
      return null;
    }
    NDArray m = keep.get(new NDIndex().addAllDim().addSliceDim(0, length + t));
    m.attach(into);
    return m;
  }

  /**
   * Keeps only {@code rows} (indices into the current batch, ascending), e.g. after some
   * sequences finished: one gather per buffer, so that later steps compute only live rows.
   */
  public void keepRows(long[] rows) {
    if (rows.length == batch) {
      return;
    }
    if (rows.length == 0) {
      throw new IllegalArgumentException("keep at least one row");
    }
    try (NDManager tmp = manager.newSubManager()) {
      NDArray idx = tmp.create(rows).toDevice(manager.getDevice(), false);
      for (int i = 0; i < kv.length; i++) {
        kv[i] = replace(kv[i], kv[i].get(new NDIndex("{}", idx)));
      }
      if (padMask != null) {
        padMask = replace(padMask, padMask.get(new NDIndex("{}", idx)));
        keep = replace(keep, keep.get(new NDIndex("{}", idx)));
      }
    }
    batch = rows.length;
  }

  private NDArray replace(NDArray old, NDArray fresh) {
    fresh.attach(manager);
    old.close();
    return fresh;
  }

  private void closeMasks() {
    if (padMask != null) {
      padMask.close();
      keep.close();
      padMask = null;
      keep = null;
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}

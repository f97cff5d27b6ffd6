package org.genderalign.trainer.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The KV cache of generation: per layer one preallocated key and one value buffer
 * {@code (B, nKvHeads, capacity, headDim)}, written in place ({@code NDArray.set} on a slice,
 * PyTorch's {@code copy_} into a view) at the filled length; attention reads only the filled
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
  private final NDArray[] keys;
  private final NDArray[] values;
  private final int capacity;
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
    int n = config.nLayers();
    this.keys = new NDArray[n];
    this.values = new NDArray[n];
    Shape shape = new Shape(batch, config.nKvHeads(), capacity, config.headDim());
    for (int i = 0; i < n; i++) {
      keys[i] = manager.zeros(shape, type);
      values[i] = manager.zeros(shape, type);
    }
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
    NDIndex at = new NDIndex().addAllDim(2).addSliceDim(length, length + t);
    keys[layer].set(at, k);
    values[layer].set(at, v);
    NDIndex filled = new NDIndex().addAllDim(2).addSliceDim(0, length + t);
    NDArray fk = keys[layer].get(filled);
    NDArray fv = values[layer].get(filled);
    fk.attach(k.getManager());
    fv.attach(k.getManager());
    return new NDArray[] {fk, fv};
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
      for (int i = 0; i < keys.length; i++) {
        keys[i] = replace(keys[i], keys[i].get(new NDIndex("{}", idx)));
        values[i] = replace(values[i], values[i].get(new NDIndex("{}", idx)));
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

package org.genderalign.trainer.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * What one generation run keeps between its forward passes: the KV cache, preallocated and
 * written in place, which columns each row may attend to, and the model's weights fused for the
 * one-token step ({@link DecodeStep}, built at the first step).
 *
 * <p>Per layer one buffer {@code (B, nKvHeads, 2, headDim, capacity)}: keys at {@code [:, :, 0]},
 * values at {@code [:, :, 1]}, both stored transposed ({@code headDim × capacity}) so that the
 * decode step's {@code q·Kᵀ} reads the keys in their natural layout (measured on stories260K:
 * 3× cheaper than multiplying by a transposed view) and one in-place copy writes a step's keys
 * and values together. The rows of a batch share columns: a left-padded prompt block fills
 * columns {@code [0, promptWidth)}, and each step writes one more column for every row.
 *
 * <p>Visibility is one additive mask {@code (B, 1, 1, capacity)}: 0 for filled real columns, a
 * large negative for padding and for columns not written yet. The decode step attends over a
 * window of the buffers ({@link #WINDOW} columns at a time, views made once per window, not per
 * step and layer); the mask hides the window's unwritten columns, whose weight is then exactly 0.
 * {@link #keepRows} drops finished rows from the batch (one gather per buffer).
 *
 * <p>Not for training: nothing here keeps gradients. Close it (try-with-resources) to free the
 * buffers.
 */
public final class GenerationCache implements AutoCloseable {

  /** Columns by which the decode step's views grow. */
  static final int WINDOW = 16;

  private final NDManager manager;
  private final LlamaConfig config;
  private final DataType type;
  /** Per layer {@code (B, KV, 2, hd, capacity)}: keys at {@code [:, :, 0]}, values at {@code [:, :, 1]}. */
  private final NDArray[] kv;
  private final int capacity;
  private long batch;
  private int length;
  /** {@code (B, 1, 1, capacity)} float32: 0 where visible, a large negative elsewhere. */
  private NDArray visible;
  /** {@code (B, capacity)} bool: the prompt's key padding (true = real), for the prefill. */
  private NDArray keep;
  /** Columns covered by the views below; 0 when they must be made again. */
  private int window;
  private NDArray[] keysT;
  private NDArray[] values;
  private NDArray maskView;
  private NDManager views;
  private DecodeStep decoder;
  /** 0 as a float32 scalar, what {@link #beginStep} writes into the mask. */
  private final NDArray zero;

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
    this.config = config;
    this.type = type;
    this.capacity = capacity;
    this.batch = batch;
    int n = config.nLayers();
    this.kv = new NDArray[n];
    this.zero = manager.create(0f);
    Shape shape = new Shape(batch, config.nKvHeads(), 2, config.headDim(), capacity);
    for (int i = 0; i < n; i++) {
      kv[i] = manager.zeros(shape, type);
    }
    setKeyPadding(new long[0], 0);
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
   * columns {@code [0, w)}; later columns are all real. Call before the first forward pass.
   */
  public void setKeyPadding(long[] keepFlags, int width) {
    if (keepFlags.length != batch * width || width > capacity) {
      throw new IllegalArgumentException("padding flags must be (B, w) with w <= capacity");
    }
    if (length > 0) {
      throw new IllegalStateException("set the key padding before the first forward pass");
    }
    float[] add = new float[(int) (batch * capacity)];
    boolean[] k = new boolean[(int) (batch * capacity)];
    for (int r = 0; r < batch; r++) {
      for (int c = 0; c < capacity; c++) {
        k[r * capacity + c] = c >= width || keepFlags[r * width + c] != 0;
        add[r * capacity + c] = ModelConstants.MASK_VALUE; // nothing is written yet
      }
    }
    replaceMasks(manager.create(add, new Shape(batch, 1, 1, capacity)),
        manager.create(k, new Shape(batch, capacity)));
  }

  /**
   * Writes one layer's new keys and values {@code (B, KV, T, hd)} at columns
   * {@code [length, length + T)} in place (the prefill) and returns views of the filled ones
   * {@code (B, KV, length + T, hd)} in {@code into}.
   */
  NDArray[] write(int layer, NDArray k, NDArray v, NDManager into) {
    long t = k.getShape().get(2);
    checkRoom(t);
    kv[layer].set(new NDIndex().addAllDim(2).addIndices(0).addAllDim()
        .addSliceDim(length, length + t), k.transpose(0, 1, 3, 2));
    kv[layer].set(new NDIndex().addAllDim(2).addIndices(1).addAllDim()
        .addSliceDim(length, length + t), v.transpose(0, 1, 3, 2));
    NDIndex filled = new NDIndex().addAllDim(4).addSliceDim(0, length + t);
    NDArray both = kv[layer].get(into, filled); // (B, KV, 2, hd, S)
    return new NDArray[] {both.get(new NDIndex().addAllDim(2).addIndices(0))
        .transpose(0, 1, 3, 2), both.get(new NDIndex().addAllDim(2).addIndices(1))
        .transpose(0, 1, 3, 2)};
  }

  /** The key-padding flags {@code (B, length + t)} (true = real) in {@code into}, for the prefill. */
  NDArray keepFlags(int t, NDManager into) {
    return keep.get(into, new NDIndex().addAllDim().addSliceDim(0, length + t));
  }

  /**
   * Starts a one-token step: column {@code length} becomes visible for the real rows, and the
   * views of {@link #keysT}, {@link #values} and {@link #mask} cover it.
   */
  void beginStep() {
    checkRoom(1);
    // the prompt's padding columns stay hidden; every later column is a real token of every row
    visible.set(new NDIndex().addAllDim(3).addIndices(length), zero);
    if (length + 1 > window) {
      closeViews();
      window = Math.min(capacity, (length + 1 + WINDOW - 1) / WINDOW * WINDOW);
      views = manager.newSubManager();
      keysT = new NDArray[kv.length];
      values = new NDArray[kv.length];
      NDIndex k = new NDIndex().addAllDim(2).addIndices(0).addAllDim().addSliceDim(0, window);
      NDIndex v = new NDIndex().addAllDim(2).addIndices(1).addAllDim().addSliceDim(0, window);
      for (int i = 0; i < kv.length; i++) {
        keysT[i] = kv[i].get(views, k); // (B, KV, hd, W)
        values[i] = kv[i].get(views, v).transpose(0, 1, 3, 2); // (B, KV, W, hd)
      }
      maskView = visible.get(views, new NDIndex().addAllDim(3).addSliceDim(0, window));
    }
  }

  /** This window's keys of {@code layer}, transposed: {@code (B, KV, hd, W)}. */
  NDArray keysT(int layer) {
    return keysT[layer];
  }

  /** This window's values of {@code layer}: {@code (B, KV, W, hd)}. */
  NDArray values(int layer) {
    return values[layer];
  }

  /** This window's additive mask {@code (B, 1, 1, W)} float32. */
  NDArray mask() {
    return maskView;
  }

  /** Writes one step's keys and values {@code (B, KV, 2, hd)} of {@code layer} at column {@code length}. */
  void writeColumn(int layer, NDArray keysAndValues) {
    kv[layer].set(new NDIndex().addAllDim(4).addIndices(length), keysAndValues);
  }

  /** The fused weights of the one-token step, built from {@code model} at the first call. */
  DecodeStep decoder(LlamaModel model) {
    if (decoder == null) {
      decoder = new DecodeStep(model, manager, type, capacity);
    }
    return decoder;
  }

  /** Called once per forward pass after every layer has written {@code t} columns. */
  void advance(int t) {
    if (t > 1) {
      // a prompt block: its real columns become visible to the steps that follow
      try (NDManager tmp = manager.newSubManager()) {
        NDArray padding = keep.get(tmp, new NDIndex().addAllDim().addSliceDim(length, length + t))
            .logicalNot().toType(DataType.FLOAT32, false); // (B, t)
        visible.set(new NDIndex().addAllDim(3).addSliceDim(length, length + t),
            padding.mul(tmp.create(ModelConstants.MASK_VALUE)).reshape(batch, 1, 1, t));
      }
    }
    length += t;
  }

  private void checkRoom(long t) {
    if (length + t > capacity) {
      throw new IllegalStateException("generation cache full: " + length + " + " + t + " > "
          + capacity);
    }
  }

  /**
   * Keeps only {@code rows} (indices into the current batch, ascending), e.g. after some
   * sequences finished: one gather per buffer, so that later steps compute only the kept ones.
   */
  public void keepRows(long[] rows) {
    if (rows.length == batch) {
      return;
    }
    if (rows.length == 0) {
      throw new IllegalArgumentException("keep at least one row");
    }
    closeViews();
    try (NDManager tmp = manager.newSubManager()) {
      NDArray idx = tmp.create(rows).toDevice(manager.getDevice(), false);
      NDIndex pick = new NDIndex("{}", idx);
      for (int i = 0; i < kv.length; i++) {
        NDArray fresh = kv[i].get(manager, pick);
        kv[i].close();
        kv[i] = fresh;
      }
      replaceMasks(visible.get(manager, pick), keep.get(manager, pick));
    }
    batch = rows.length;
  }

  private void replaceMasks(NDArray newVisible, NDArray newKeep) {
    closeViews();
    if (visible != null) {
      visible.close();
      keep.close();
    }
    visible = newVisible;
    keep = newKeep;
  }

  private void closeViews() {
    if (views != null) {
      views.close();
      views = null;
    }
    window = 0;
  }

  @Override
  public void close() {
    manager.close();
  }
}

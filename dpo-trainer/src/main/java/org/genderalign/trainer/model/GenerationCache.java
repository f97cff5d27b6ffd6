package org.genderalign.trainer.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;

/**
 * What one generation run keeps between its forward passes: the KV cache, preallocated and
 * written in place, which columns each row may attend to, and the model's weights fused for the
 * passes ({@link DecodeStep}, built at the first pass; each pass is one TorchScript call).
 *
 * <p>Per layer one buffer {@code (B, nKvHeads, 2, headDim, columns)}, {@code columns} being the
 * capacity rounded up to 16: keys at {@code [:, :, 0]}, values at {@code [:, :, 1]}, both
 * stored transposed ({@code headDim × columns}) so that the step's {@code q·Kᵀ} reads the keys
 * in their natural layout (measured on stories260K: cheaper than multiplying by a transposed
 * view) and one in-place copy writes a step's keys and values together. The rows of a batch
 * share columns: a left-padded prompt block fills columns {@code [0, promptWidth)}, and each
 * step writes one more column for every row.
 *
 * <p>Visibility is one additive mask {@code (B, 1, 1, columns)}: 0 for filled real columns, a
 * large negative for padding and for columns not written yet. A pass makes the columns it writes
 * visible (the prompt's padding excepted), and attends over a window of the buffers rounded up
 * to 16 columns (PyTorch's CPU softmax was measured up to 10× slower on rows of other lengths);
 * the mask hides the window's unwritten columns, whose weight is then exactly 0.
 * {@link #keepRows} drops finished rows from the batch (one gather per buffer).
 *
 * <p>Not for training: nothing here keeps gradients. Close it (try-with-resources) to free the
 * buffers.
 */
public final class GenerationCache implements AutoCloseable {

  private final NDManager manager;
  private final LlamaConfig config;
  private final DataType type;
  /** Per layer {@code (B, KV, 2, hd, columns)}: keys at {@code [:, :, 0]}, values at {@code [:, :, 1]}. */
  private final NDArray[] kv;
  private final int capacity;
  /**
   * Columns allocated: the capacity rounded up to 16, so that every attention window is a
   * multiple of 16 columns (PyTorch's CPU softmax is up to 10x slower on other row lengths).
   */
  private final int columns;
  private long batch;
  private int length;
  /** {@code (B, 1, 1, columns)} float32: 0 where visible, a large negative elsewhere. */
  private NDArray visible;
  /** {@code (B, columns)} bool: the prompt's key padding (true = real), for the prefill. */
  private NDArray keep;
  private DecodeStep decoder;
  /** The decode step's inputs: the buffers as a TorchScript list, and the mask; null when stale. */
  private IValue scriptCache;
  private IValue scriptVisible;

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
    this.columns = (capacity + 15) / 16 * 16;
    this.batch = batch;
    int n = config.nLayers();
    this.kv = new NDArray[n];
    Shape shape = new Shape(batch, config.nKvHeads(), 2, config.headDim(), columns);
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
    float[] add = new float[(int) (batch * columns)];
    boolean[] k = new boolean[(int) (batch * columns)];
    for (int r = 0; r < batch; r++) {
      for (int c = 0; c < columns; c++) {
        k[r * columns + c] = c >= width || keepFlags[r * width + c] != 0;
        add[r * columns + c] = ModelConstants.MASK_VALUE; // nothing is written yet
      }
    }
    replaceMasks(manager.create(add, new Shape(batch, 1, 1, columns)),
        manager.create(k, new Shape(batch, columns)));
  }

  /**
   * The key-padding flags of columns {@code [from, from + t)}: {@code (B, t)} bool (true = real),
   * in {@code into}.
   */
  NDArray keyPadding(int from, int t, NDManager into) {
    return keep.get(into, new NDIndex().addAllDim().addSliceDim(from, from + t));
  }

  /** Starts a forward pass of {@code t} tokens per row: fails if fewer columns are left. */
  void beginStep(int t) {
    checkRoom(t);
  }

  /** The buffers {@code (B, KV, 2, hd, columns)} per layer, as the decode step's list. */
  IValue scriptCache() {
    if (scriptCache == null) {
      scriptCache = IValue.listFrom(java.util.Arrays.stream(kv).map(a -> (PtNDArray) a)
          .toArray(PtNDArray[]::new));
    }
    return scriptCache;
  }

  /** The additive mask {@code (B, 1, 1, columns)} float32; the decode step writes its column. */
  IValue scriptVisible() {
    if (scriptVisible == null) {
      scriptVisible = IValue.from((PtNDArray) visible);
    }
    return scriptVisible;
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
    closeScriptInputs();
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
    closeScriptInputs();
    if (visible != null) {
      visible.close();
      keep.close();
    }
    visible = newVisible;
    keep = newKeep;
  }

  private void closeScriptInputs() {
    if (scriptCache != null) {
      scriptCache.close();
      scriptCache = null;
    }
    if (scriptVisible != null) {
      scriptVisible.close();
      scriptVisible = null;
    }
  }

  @Override
  public void close() {
    closeScriptInputs();
    if (decoder != null) {
      decoder.close();
    }
    manager.close();
  }
}

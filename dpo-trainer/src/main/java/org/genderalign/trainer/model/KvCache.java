package org.genderalign.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of every layer for the positions seen so far, so that generation feeds only
 * the new tokens. Holds {@code (B, nKvHeads, S, headDim)} per layer in its own manager; each
 * append replaces (and closes) the previous arrays. Not for training (no gradients are kept).
 */
public final class KvCache implements AutoCloseable {

  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private int length;

  /**
   * @param parent the manager the cache's own sub-manager is made from
   * @param nLayers the model's layer count
   */
  public KvCache(NDManager parent, int nLayers) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[nLayers];
    this.values = new NDArray[nLayers];
  }

  /** Positions cached so far (the past length of the next forward pass). */
  public int length() {
    return length;
  }

  /**
   * Appends one layer's new keys and values {@code (B, KV, T, hd)} and returns the full ones
   * {@code (B, KV, length + T, hd)}.
   */
  NDArray[] append(int layer, NDArray k, NDArray v) {
    NDArray fk = keys[layer] == null ? k : keys[layer].concat(k, 2);
    NDArray fv = values[layer] == null ? v : values[layer].concat(v, 2);
    fk.attach(manager);
    fv.attach(manager);
    if (keys[layer] != null && keys[layer] != fk) {
      keys[layer].close();
      values[layer].close();
    }
    keys[layer] = fk;
    values[layer] = fv;
    return new NDArray[] {fk, fv};
  }

  /** Called once per forward pass after every layer has appended {@code t} positions. */
  void advance(int t) {
    length += t;
  }

  @Override
  public void close() {
    manager.close();
  }
}

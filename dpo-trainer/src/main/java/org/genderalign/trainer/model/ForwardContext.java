package org.genderalign.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * What every layer of one forward pass shares: the RoPE tables for its positions and the
 * additive attention mask.
 *
 * @param cos {@code (1|B, T, 1, headDim)}
 * @param sin {@code (1|B, T, 1, headDim)}
 * @param mask {@code (1|B, 1, 1, T, S)} float32, 0 where visible and a large negative elsewhere
 * @param layout the RoPE pairing
 */
record ForwardContext(NDArray cos, NDArray sin, NDArray mask, RopeLayout layout) {

  /** Rotates {@code x (B, T, heads, headDim)} by its positions' angles. */
  NDArray rope(NDArray x) {
    Shape s = x.getShape();
    NDArray rot;
    if (layout == RopeLayout.INTERLEAVED) {
      // pairs (2i, 2i+1): rot = (-x[2i+1], x[2i])
      NDArray pairs = x.reshape(s.get(0), s.get(1), s.get(2), s.get(3) / 2, 2);
      NDArray even = pairs.get("..., 0");
      NDArray odd = pairs.get("..., 1");
      rot = odd.neg().stack(even, 4).reshape(s);
    } else {
      // pairs (i, i + hd/2): rot = (-x2, x1)
      NDList halves = x.split(2, 3);
      rot = halves.get(1).neg().concat(halves.get(0), 3);
    }
    return x.mul(cos).add(rot.mul(sin));
  }
}

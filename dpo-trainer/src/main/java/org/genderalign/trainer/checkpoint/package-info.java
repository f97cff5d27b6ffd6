/**
 * Training checkpoints: atomic (written to a temporary folder, then renamed), the last K kept,
 * holding trainable weights, optimizer moments and step, and the trainer's data-order state, so
 * that a resumed run ends bit-identical to an uninterrupted one. Tensors are stored raw
 * ({@link org.genderalign.trainer.checkpoint.TensorFile}) so that nothing is rounded.
 */
package org.genderalign.trainer.checkpoint;

package org.genderalign.trainer.model;

/**
 * How rotary position embeddings pair up the dimensions of one attention head.
 *
 * <p>Both layouts rotate pairs of dimensions by the same angles; they differ only in which two
 * dimensions form a pair. The weights of a checkpoint are laid out for one of them, so the
 * loader (never the user) decides.
 */
public enum RopeLayout {
  /** llama2.c / Meta / GGUF: pairs are adjacent dimensions {@code (2i, 2i+1)}. */
  INTERLEAVED,
  /** Hugging Face {@code rotate_half}: pairs are {@code (i, i + headDim/2)}. */
  HALF
}

package org.genderalign.trainer.tokenizer;

/**
 * Text ↔ token ids for one model. {@link #encode(String)} never adds BOS or EOS: callers add
 * them where the format says (see {@code PairEncoder}), which is how doubled BOS/EOS tokens are
 * avoided.
 */
public interface Tokenizer {

  /** The beginning-of-sequence id, or −1 if the vocabulary has none. */
  int bosId();

  /** The end-of-sequence id, or −1 if the vocabulary has none. */
  int eosId();

  /** Token ids of {@code text}, without BOS/EOS. */
  int[] encode(String text);

  /**
   * Text of {@code ids}. Special tokens (BOS, EOS) produce no text; the leading space a
   * SentencePiece-style tokenizer adds before the first word of a text is removed.
   */
  String decode(int[] ids);

  /** Number of ids (the model's vocab size may be larger, never smaller). */
  int vocabSize();

  /** A short description for provenance and messages, e.g. {@code llama2c(tok512.bin)}. */
  String describe();
}

/**
 * Tokenizers behind one interface, {@link org.genderalign.trainer.tokenizer.Tokenizer}:
 * {@link org.genderalign.trainer.tokenizer.Llama2cTokenizer} (llama2.c's {@code tokenizer.bin},
 * encoded exactly as {@code run.c}; also GGUF SentencePiece vocabularies) and
 * {@link org.genderalign.trainer.tokenizer.HuggingFaceTokenizer} ({@code tokenizer.json} through
 * DJL's native HuggingFace tokenizers). {@code encode} never adds BOS/EOS.
 */
package org.genderalign.trainer.tokenizer;

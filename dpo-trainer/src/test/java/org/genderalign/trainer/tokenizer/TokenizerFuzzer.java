package org.genderalign.trainer.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Path;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.testing.FuzzFiles;

/**
 * Fuzz targets of the tokenizer files (run by {@code ReaderFuzzCampaignTest}): llama2.c's
 * {@code tokenizer.bin} (read, then used: encode and decode must not fail on a vocabulary that
 * loaded), and what the project reads itself from a Hugging Face {@code tokenizer.json}
 * (vocabulary size, special ids; the encoding is DJL's native library, whose load errors are
 * wrapped as bad input).
 */
class TokenizerFuzzer {

  private static final String TEXT = "Nurses and engineers — any gender. é 🙂 \u0000x";

  @FuzzTest
  void llama2cTokenizer(byte[] data) throws IOException {
    Path f = FuzzFiles.write("tokenizer.bin", data);
    Llama2cTokenizer tok;
    try {
      tok = Llama2cTokenizer.load(f);
    } catch (InvalidInputException expected) {
      return;
    }
    int[] ids = tok.encode(TEXT);
    for (int id : ids) {
      assertThat(id).isBetween(0, tok.vocabSize() - 1);
    }
    tok.decode(ids);
  }

  @FuzzTest
  void tokenizerJson(byte[] data) throws IOException {
    Path f = FuzzFiles.write("tokenizer.json", data);
    try {
      HuggingFaceTokenizer.Vocabulary v = HuggingFaceTokenizer.vocabulary(f, null, null);
      assertThat(v.vocabSize()).isPositive();
      assertThat(v.bos()).isLessThan(v.vocabSize());
      assertThat(v.eos()).isLessThan(v.vocabSize());
    } catch (InvalidInputException expected) {
      // a clear error
    }
  }
}

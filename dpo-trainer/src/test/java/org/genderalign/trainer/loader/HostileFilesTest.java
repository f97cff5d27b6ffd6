package org.genderalign.trainer.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.trainer.checkpoint.TensorFile;
import org.genderalign.trainer.model.LlamaConfig;
import org.genderalign.trainer.tokenizer.HuggingFaceTokenizer;
import org.genderalign.trainer.tokenizer.Llama2cTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzzers' seeds, read on purpose: the valid ones are accepted (so fuzzing starts from
 * real files, not from junk), and the hostile length and count fields of the issue — a 2^40-byte
 * safetensors header, a GGUF tensor count of 2^60, a llama2.c header claiming 10^9 layers — are
 * refused with a clear error before anything is allocated (this test JVM would run out of
 * memory otherwise).
 */
class HostileFilesTest {

  @TempDir Path tmp;

  private Path seed(String resource) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/org/genderalign/trainer/" + resource)) {
      assertThat(in).as(resource).isNotNull();
      Path f = tmp.resolve(Path.of(resource).getFileName().toString());
      Files.write(f, in.readAllBytes());
      return f;
    }
  }

  @Test
  void validSeedsLoad() throws IOException {
    LlamaConfig tiny = Llama2cCheckpoint.inspect(seed("loader/LoaderFuzzerInputs/llama2cCheckpoint/seed-tied.bin"));
    assertThat(tiny.dim()).isEqualTo(8);
    assertThat(Llama2cCheckpoint.inspect(seed("loader/LoaderFuzzerInputs/llama2cCheckpoint/seed-untied.bin"))
        .tiedEmbeddings()).isFalse();
    Path gguf = seed("loader/LoaderFuzzerInputs/gguf/seed-tiny.gguf");
    try (FileChannel ch = FileChannel.open(gguf, StandardOpenOption.READ)) {
      GgufLoader.Plan plan = GgufLoader.inspect(gguf, ch);
      assertThat(plan.config()).isEqualTo(tiny.toBuilder().normEps((double) 1e-5f).build()); // f32 in GGUF
      assertThat(plan.slices()).hasSize(11);
      assertThat(plan.tokenizer().vocabSize()).isEqualTo(16);
    }
    assertThat(SafeTensors.header(seed("loader/LoaderFuzzerInputs/safetensors/seed-model.safetensors"))).hasSize(11);
    assertThat(SafeTensors.header(seed("loader/LoaderFuzzerInputs/safetensors/seed-bf16.safetensors"))).hasSize(3);
    assertThat(Llama2cTokenizer.load(seed("tokenizer/TokenizerFuzzerInputs/llama2cTokenizer/seed-tok.bin"))
        .vocabSize()).isEqualTo(269);
    assertThat(HuggingFaceTokenizer.vocabulary(seed("tokenizer/TokenizerFuzzerInputs/tokenizerJson/seed-bpe.json"),
        null, null)).isEqualTo(new HuggingFaceTokenizer.Vocabulary(5, 0, 1));
    assertThat(TensorFile.index(seed("checkpoint/CheckpointFuzzerInputs/tensorFile/seed.tensors"))).hasSize(3);

    Path dir = Files.createDirectories(tmp.resolve("ckpt"));
    for (String f : new String[] {"config.json", "tokenizer-ref.json", "model.safetensors"}) {
      Files.copy(seed("loader/LoaderFuzzerFolder/" + f), dir.resolve(f));
    }
    assertThat(ModelCheckpoint.inspect(dir)).isEqualTo(tiny);
  }

  @Test
  void hostileLengthAndCountFieldsAreRefusedBeforeAllocating() throws IOException {
    Path st = seed("loader/LoaderFuzzerInputs/safetensors/seed-2pow40-header.safetensors");
    assertThatThrownBy(() -> SafeTensors.header(st)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("header length 1099511627776");

    Path gguf = seed("loader/LoaderFuzzerInputs/gguf/seed-2pow60-tensors.gguf");
    assertThatThrownBy(() -> {
      try (FileChannel ch = FileChannel.open(gguf, StandardOpenOption.READ)) {
        GgufLoader.inspect(gguf, ch);
      }
    }).isInstanceOf(InvalidInputException.class).hasMessageContaining("tensor count 1152921504606846976 cannot fit");

    Path layers = seed("loader/LoaderFuzzerInputs/llama2cCheckpoint/seed-billion-layers.bin");
    assertThatThrownBy(() -> Llama2cCheckpoint.inspect(layers)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("1000000000 layers");
    Path dims = seed("loader/LoaderFuzzerInputs/llama2cCheckpoint/seed-huge-dims.bin");
    assertThatThrownBy(() -> Llama2cCheckpoint.inspect(dims)).isInstanceOf(InvalidInputException.class);

    Path dir = Files.createDirectories(tmp.resolve("ckpt"));
    for (String f : new String[] {"tokenizer-ref.json", "model.safetensors"}) {
      Files.copy(seed("loader/LoaderFuzzerFolder/" + f), dir.resolve(f));
    }
    Files.copy(seed("loader/LoaderFuzzerInputs/checkpointConfig/seed-billion-layers.json"), dir.resolve("config.json"));
    assertThatThrownBy(() -> ModelCheckpoint.inspect(dir)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("needs 9000000002 weight tensors but the file has 11");

    Path tok = seed("tokenizer/TokenizerFuzzerInputs/llama2cTokenizer/seed-huge-length.bin");
    assertThatThrownBy(() -> Llama2cTokenizer.load(tok)).isInstanceOf(InvalidInputException.class);
    Path json = seed("tokenizer/TokenizerFuzzerInputs/tokenizerJson/seed-huge-id.json");
    assertThatThrownBy(() -> HuggingFaceTokenizer.vocabulary(json, null, null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("2147483647");
    Path tf = seed("checkpoint/CheckpointFuzzerInputs/tensorFile/seed-huge.tensors");
    assertThatThrownBy(() -> TensorFile.index(tf)).isInstanceOf(InvalidInputException.class);
    Path ref = seed("loader/LoaderFuzzerInputs/checkpointTokenizerRef/seed-traversal.json");
    Files.copy(ref, dir.resolve("tokenizer-ref.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> ModelCheckpoint.readTokenizerRef(dir)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("field file");
  }
}

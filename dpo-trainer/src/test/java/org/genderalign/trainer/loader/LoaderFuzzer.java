package org.genderalign.trainer.loader;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.testing.FuzzFiles;

/**
 * Fuzz targets of the model-file readers (run by {@link ReaderFuzzCampaignTest}, one child JVM
 * each): everything a load checks before it reads a weight or builds the model — headers,
 * configs, vocabularies, tensor names, types, shapes and extents. Only
 * {@link InvalidInputException} may come out; no other exception, no hang, no huge allocation
 * (the children have a small heap, so a hostile length or count field that is trusted fails).
 */
class LoaderFuzzer {

  @FuzzTest
  void safetensors(byte[] data) throws IOException {
    Path f = FuzzFiles.write("model.safetensors", data);
    try {
      SafeTensors.header(f);
      SafeTensors.metadata(f);
    } catch (InvalidInputException expected) {
      // a clear error
    }
  }

  @FuzzTest
  void gguf(byte[] data) throws IOException {
    Path f = FuzzFiles.write("model.gguf", data);
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      GgufLoader.inspect(f, ch);
    } catch (InvalidInputException expected) {
      // a clear error
    }
  }

  @FuzzTest
  void llama2cCheckpoint(byte[] data) throws IOException {
    Path f = FuzzFiles.write("model.bin", data);
    try {
      Llama2cCheckpoint.inspect(f);
    } catch (InvalidInputException expected) {
      // a clear error
    }
  }

  /** The project's checkpoint folder: {@code config.json} fuzzed, the other files intact. */
  @FuzzTest
  void checkpointConfig(byte[] data) throws IOException {
    Path dir = checkpointFolder();
    Files.write(dir.resolve(ModelCheckpoint.CONFIG), data);
    try {
      ModelCheckpoint.inspect(dir);
    } catch (InvalidInputException expected) {
      // a clear error
    }
  }

  /** The project's checkpoint folder: {@code tokenizer-ref.json} fuzzed. */
  @FuzzTest
  void checkpointTokenizerRef(byte[] data) throws IOException {
    Path dir = checkpointFolder();
    Files.write(dir.resolve(ModelCheckpoint.TOKENIZER_REF), data);
    try {
      ModelCheckpoint.readTokenizerRef(dir);
    } catch (InvalidInputException expected) {
      // a clear error
    }
  }

  private static Path folder;

  /**
   * A checkpoint folder of the tiny config of the seeds (dim 8, 1 layer, vocab 16): its
   * config, tokenizer reference and weights' header, copied from the committed seeds.
   */
  private static Path checkpointFolder() {
    try {
      if (folder == null) {
        folder = Files.createDirectories(FuzzFiles.dir().resolve("checkpoint"));
        for (String name : new String[] {"config.json", "tokenizer-ref.json", "model.safetensors"}) {
          try (var in = LoaderFuzzer.class.getResourceAsStream("LoaderFuzzerFolder/" + name)) {
            Files.write(folder.resolve(name), in.readAllBytes());
          }
        }
      }
      for (String name : new String[] {"config.json", "tokenizer-ref.json"}) {
        try (var in = LoaderFuzzer.class.getResourceAsStream("LoaderFuzzerFolder/" + name)) {
          Files.write(folder.resolve(name), in.readAllBytes());
        }
      }
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

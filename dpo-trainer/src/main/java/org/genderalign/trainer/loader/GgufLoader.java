package org.genderalign.trainer.loader;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import org.genderalign.core.error.InvalidInputException;

/** Loads GGUF files (F32 and F16 tensors; vocabulary from the file). */
final class GgufLoader {

  private GgufLoader() {}

  static LoadedModel load(Path file, String location, Device device, DataType type)
      throws IOException {
    throw InvalidInputException.ofFile(file, "GGUF loading is not available in this build yet");
  }
}

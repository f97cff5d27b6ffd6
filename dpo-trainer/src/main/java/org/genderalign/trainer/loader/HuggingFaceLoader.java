package org.genderalign.trainer.loader;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import org.genderalign.core.error.InvalidInputException;

/** Loads Hugging Face Llama-family folders. */
public final class HuggingFaceLoader {

  private HuggingFaceLoader() {}

  static LoadedModel load(Path dir, Device device, DataType type) throws IOException {
    throw InvalidInputException.ofFile(dir, "Hugging Face loading is not available in this build yet");
  }
}

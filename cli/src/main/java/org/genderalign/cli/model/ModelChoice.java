package org.genderalign.cli.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import org.genderalign.cli.BadUsageException;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.device.Devices;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import picocli.CommandLine.Option;

/** The {@code --model}, {@code --device} and {@code --dtype} options of the model commands. */
public final class ModelChoice {

  // Not required by picocli so that `score --reward-model` can do without it; load() insists.
  @org.genderalign.cli.Check.Model
  @Option(names = "--model", paramLabel = "M",
      description = "stories260K, stories260K-gguf, or a path: a checkpoint folder, a Hugging Face "
          + "folder, a .gguf file or a llama2.c .bin (tokenizer.bin / tok*.bin beside it).")
  String model;

  @Option(names = "--device", paramLabel = "D", defaultValue = Devices.DEFAULT_DEVICE,
      description = "auto (GPU if present), cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--dtype", paramLabel = "T", defaultValue = Devices.DEFAULT_DTYPE,
      description = "Weight type: float32, or bfloat16/float16 on a GPU (default: ${DEFAULT-VALUE}).")
  String dtype;

  /** Loads the chosen model; bad option values are usage errors. */
  public LoadedModel load(DataRoot root) throws IOException {
    if (model == null) {
      throw new BadUsageException("missing required option: '--model=M'");
    }
    Device d;
    DataType t;
    try {
      d = Devices.parse(device);
      t = Devices.parseType(dtype, d);
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
    return ModelLoader.load(model, root, d, t);
  }
}

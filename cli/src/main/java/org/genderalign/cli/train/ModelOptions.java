package org.genderalign.cli.train;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.util.List;
import org.genderalign.cli.BadUsageException;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.training.DeviceSpec;
import picocli.CommandLine.Option;

/** Which model to train, on which device(s), in which precision. */
public final class ModelOptions {

  @org.genderalign.cli.Check.Model
  @Option(names = "--model", required = true, paramLabel = "M",
      description = "Model: stories260K, a checkpoint folder (e.g. a previous run's DIR/final), a Hugging Face "
          + "folder, a .gguf or a llama2.c .bin.")
  String model;

  @Option(names = "--devices", paramLabel = "D", defaultValue = "cpu",
      description = "cpu, gpu0[,gpu1…] or all (default cpu). Several GPUs: data parallel in one process (each "
          + "micro-batch split across them, gradients summed on the first).")
  String devices;

  @Option(names = "--precision", paramLabel = "P", defaultValue = "auto",
      description = "auto, fp32 or bf16. auto = bf16 weights on GPU with LoRA (adapters and loss stay float32), "
          + "else fp32.")
  String precision;

  /** The devices, validated. */
  public List<Device> deviceList() {
    try {
      return DeviceSpec.parse(devices);
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
  }

  /** The weight type for the first device. */
  public DataType dataType(boolean lora) {
    try {
      return DeviceSpec.dataType(precision, deviceList().get(0), lora);
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
  }

  /** Loads the model on the first device (the others get replicas when training starts). */
  public LoadedModel load(DataRoot root, boolean lora) throws IOException {
    return ModelLoader.load(model, root, deviceList().get(0), dataType(lora));
  }
}

package org.genderalign.builder.filter;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelCheckpoint;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.model.LlamaConfig;
import org.genderalign.trainer.model.RopeLayout;
import org.genderalign.trainer.tokenizer.Llama2cTokenizer;

/** A tiny random Llama with the stories tokenizer, saved as a checkpoint: a fast base for reward-model tests. */
public final class TinyRewardBase {

  private TinyRewardBase() {}

  /** Writes the checkpoint into {@code dir} and returns it. */
  public static Path write(Path dir) throws Exception {
    LlamaConfig c = new LlamaConfig(16, 32, 2, 2, 1, 512, 256, LlamaConfig.DEFAULT_ROPE_THETA,
        LlamaConfig.DEFAULT_NORM_EPS, true, RopeLayout.INTERLEAVED);
    try (LoadedModel m = ModelLoader.random(c, Llama2cTokenizer.load(DataRoot.fromEnvironment()
        .file("tokenizer-stories260k")), Device.cpu(), DataType.FLOAT32, 1)) {
      ModelCheckpoint.save(m, dir, Provenance.of("test", null, 1L));
    }
    return dir;
  }
}

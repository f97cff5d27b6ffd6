package org.genderalign.trainer.training;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.model.LlamaConfig;
import org.genderalign.trainer.model.RopeLayout;
import org.genderalign.trainer.tokenizer.Llama2cTokenizer;
import org.genderalign.trainer.tokenizer.Tokenizer;

/** Small models for training tests: the real stories tokenizer with a tiny random Llama. */
public final class TinyModels {

  private TinyModels() {}

  /** dim 16, hidden 32, 2 layers, 2 heads, 1 KV head, vocab 512: a few thousand parameters. */
  public static LlamaConfig tinyConfig() {
    return new LlamaConfig(16, 32, 2, 2, 1, 512, 256, LlamaConfig.DEFAULT_ROPE_THETA,
        LlamaConfig.DEFAULT_NORM_EPS, true, RopeLayout.INTERLEAVED);
  }

  public static Tokenizer storiesTokenizer() throws IOException {
    return Llama2cTokenizer.load(DataRoot.fromEnvironment().file("tokenizer-stories260k"));
  }

  /** A tiny random model drawn from {@code seed}. */
  public static LoadedModel tiny(long seed) throws IOException {
    return ModelLoader.random(tinyConfig(), storiesTokenizer(), Device.cpu(), DataType.FLOAT32, seed);
  }
}

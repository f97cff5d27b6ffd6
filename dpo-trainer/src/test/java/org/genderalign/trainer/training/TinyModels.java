package org.genderalign.trainer.training;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.lora.Lora;
import org.genderalign.trainer.lora.LoraAdapter;
import org.genderalign.trainer.lora.LoraConfig;
import org.genderalign.trainer.model.LlamaConfig;
import org.genderalign.trainer.model.LlamaModel;
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

  /** dim 32, 2 layers, 4 heads over 2 KV heads (grouped-query attention), rotate-half RoPE. */
  public static LlamaConfig gqaConfig() {
    return new LlamaConfig(32, 48, 2, 4, 2, 512, 128, LlamaConfig.DEFAULT_ROPE_THETA,
        LlamaConfig.DEFAULT_NORM_EPS, false, RopeLayout.HALF);
  }

  public static Tokenizer storiesTokenizer() throws IOException {
    return Llama2cTokenizer.load(DataRoot.fromEnvironment().file("tokenizer-stories260k"));
  }

  /** A tiny random model drawn from {@code seed}. */
  public static LoadedModel tiny(long seed) throws IOException {
    return ModelLoader.random(tinyConfig(), storiesTokenizer(), Device.cpu(), DataType.FLOAT32, seed);
  }

  /**
   * Redraws every weight of {@code model} so that nothing is neutral: norm weights in
   * [0.5, 1.5] (not 1, which would hide a norm applied wrongly), embeddings with std 1 and
   * projections with std {@code 1.5/sqrt(in)}, so that logits spread by several units and greedy
   * choices are far from ties.
   */
  public static void randomizeWeights(LlamaModel model, long seed) {
    Random rnd = new Random(seed);
    NDManager m = model.tokEmbeddings().getArray().getManager();
    Map<String, NDArray> weights = new LinkedHashMap<>();
    for (Map.Entry<String, Shape> e : model.expectedShapes().entrySet()) {
      Shape s = e.getValue();
      float[] v = new float[(int) s.size()];
      boolean norm = s.dimension() == 1;
      double std = norm || e.getKey().startsWith("tok_embeddings") ? 1
          : 1.5 / Math.sqrt(s.get(1));
      for (int i = 0; i < v.length; i++) {
        v[i] = norm ? 0.5f + rnd.nextFloat() : (float) (std * rnd.nextGaussian());
      }
      weights.put(e.getKey(), m.create(v, s));
    }
    model.loadWeights(weights);
  }

  /**
   * Attaches LoRA adapters (rank 4, no dropout) to every projection, the output head included,
   * with B drawn at random too (a fresh adapter's B is 0, which would add nothing).
   */
  public static Lora randomLora(LlamaModel model, long seed) {
    Lora lora = Lora.attach(model, new LoraConfig(4, 8, 0,
        List.of("wq", "wk", "wv", "wo", "w1", "w2", "w3", "output")));
    Random rnd = new Random(seed);
    for (LoraAdapter a : lora.adapters().values()) {
      for (Parameter p : List.of(a.loraA(), a.loraB())) {
        NDArray old = p.getArray();
        float[] v = new float[(int) old.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (0.3 * rnd.nextGaussian());
        }
        // copied into the adapter's own memory (intern would leave it on a Java buffer that the
        // garbage collector frees: djl-notes trap 1)
        old.set(v);
      }
    }
    return lora;
  }
}

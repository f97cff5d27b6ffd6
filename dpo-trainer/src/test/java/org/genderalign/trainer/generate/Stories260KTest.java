package org.genderalign.trainer.generate;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.model.ReferenceLlama;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * stories260K reproduces llama2.c: greedy from BOS gives run.c's known text, token for token the
 * same as a plain-Java reference forward pass; so does a prompted run; logits match the
 * reference within 1e-4.
 */
class Stories260KTest {

  /** What {@code run stories260K.bin -z tok512.bin -t 0} prints first (shared/README.md). */
  static final String KNOWN_START = "Once upon a time, there was a little girl named Lily. She "
      + "loved to play outside in the park. One day, she saw a big, red ball.";

  static LoadedModel model;
  static ReferenceLlama reference;
  static Generation fromBos;

  @BeforeAll
  static void load() throws Exception {
    model = ModelLoader.load("stories260K", DataRoot.fromEnvironment(), Device.cpu());
    reference = new ReferenceLlama(model.block());
    // run.c's default: 256 positions = BOS + 255 new tokens, or up to the first BOS/EOS
    fromBos = new Generator(model).generate("", GenerationConfig.greedy(255));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void greedyFromBosReproducesLlama2cTokenForToken() {
    Generation gen = fromBos;
    int bos = model.tokenizer().bosId();
    int[] ref = reference.greedy(new int[] {bos}, 255, bos, model.tokenizer().eosId());
    assertThat(gen.promptTokens()).containsExactly(bos);
    assertThat(gen.tokens()).containsExactly(ref);
    assertThat(gen.text()).startsWith(KNOWN_START);
    assertThat(gen.tokens().length).isGreaterThan(30);
  }

  @Test
  void promptedGreedyRunMatchesReference() {
    Generator g = new Generator(model);
    String prompt = "Once upon a time, there was a dog named Max";
    Generation gen = g.generate(prompt, GenerationConfig.greedy(30));
    int[] ref = reference.greedy(gen.promptTokens(), 30, model.tokenizer().bosId(),
        model.tokenizer().eosId());
    assertThat(gen.tokens()).containsExactly(ref);
    assertThat(gen.text()).isNotBlank();
  }

  @Test
  void batchedGenerationEqualsOneByOne() {
    Generator g = new Generator(model);
    List<String> prompts = List.of("Tom had a red", "", "The sun was shining and the birds");
    GenerationConfig cfg = GenerationConfig.greedy(8).toBuilder().batchSize(3).build();
    List<Generation> batched = g.generate(prompts, cfg);
    for (int i = 0; i < prompts.size(); i++) {
      Generation single = g.generate(prompts.get(i), cfg);
      assertThat(batched.get(i).tokens()).as(prompts.get(i)).containsExactly(single.tokens());
    }
    // sampling is also independent of the batch (each prompt's sampler starts from the seed)
    GenerationConfig sampled = cfg.toBuilder().temperature(1.0f).topP(0.9f).seed(7).build();
    List<Generation> sb = g.generate(prompts, sampled);
    assertThat(sb.get(2).tokens()).containsExactly(g.generate(prompts.get(2), sampled).tokens());
  }

  @Test
  void wholeSequenceLogitsMatchReference() {
    int[] tokens = model.tokenizer().encode(KNOWN_START + " She ran to get it.");
    int[] withBos = new int[tokens.length + 1];
    withBos[0] = 1;
    System.arraycopy(tokens, 0, withBos, 1, tokens.length);
    float[][] ref = reference.logits(withBos);
    try (NDManager m = model.manager().newSubManager()) {
      float[] got = model.block().logits(m.create(withBos).reshape(1, withBos.length))
          .toFloatArray();
      float max = 0;
      int v = model.config().vocabSize();
      for (int t = 0; t < withBos.length; t++) {
        for (int i = 0; i < v; i++) {
          max = Math.max(max, Math.abs(ref[t][i] - got[t * v + i]));
        }
      }
      assertThat(max).isLessThan(1e-4f);
    }
  }

  @Test
  void tokenizerEncodesTheKnownTextAsTheModelWroteIt() {
    Generation gen = fromBos;
    String text = gen.text();
    int[] encoded = model.tokenizer().encode(text);
    // the model, trained on llama2.c's tokenisation, emits exactly that segmentation
    assertThat(encoded).containsExactly(Arrays.copyOf(gen.tokens(), encoded.length));
    assertThat(model.tokenizer().decode(encoded)).isEqualTo(text);
  }
}

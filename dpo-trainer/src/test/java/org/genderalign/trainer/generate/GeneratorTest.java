package org.genderalign.trainer.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.bench.LegacyGenerator;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.lora.Lora;
import org.genderalign.trainer.model.ReferenceLlama;
import org.genderalign.trainer.tokenizer.Tokenizer;
import org.genderalign.trainer.training.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generator on stories260K: greedy output equals the plain-Java reference (llama2.c) and
 * the legacy generator at any batch size and prompt length; seeded sampling is identical
 * across batch sizes and equals run.c's host-side sampler; stop strings cut the text exactly;
 * EOS, max tokens and the context end a row with the right reason.
 */
class GeneratorTest {

  static final List<String> PROMPTS = List.of("Tom had a red", "",
      "The sun was shining and the birds were singing in the", "Lily", "One day, a little dog",
      "There was a big tree");

  static LoadedModel model;
  static Generator generator;

  @BeforeAll
  static void load() throws Exception {
    model = ModelLoader.load("stories260K", DataRoot.fromEnvironment(), Device.cpu());
    generator = new Generator(model);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  /** 32 prompts cycling through {@link #PROMPTS}, so that batches mix lengths. */
  static List<String> many(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(PROMPTS.get(i % PROMPTS.size()) + (i >= PROMPTS.size() ? " " + i : ""));
    }
    return out;
  }

  static List<int[]> tokens(List<Generation> gs) {
    return gs.stream().map(Generation::tokens).toList();
  }

  @Test
  void greedyEqualsTheReferenceAndTheLegacyGeneratorAtAnyBatchSize() {
    ReferenceLlama ref = new ReferenceLlama(model.block());
    int bos = model.tokenizer().bosId();
    int eos = model.tokenizer().eosId();
    GenerationConfig cfg = GenerationConfig.greedy(16);
    for (int batch : new int[] {1, 3, 32}) {
      List<Generation> got = generator.generate(PROMPTS, cfg.toBuilder().batchSize(batch).build());
      for (int i = 0; i < PROMPTS.size(); i++) {
        int[] expected = ref.greedy(got.get(i).promptTokens(), 16, bos, eos);
        assertThat(got.get(i).tokens()).as("batch %d prompt '%s'", batch, PROMPTS.get(i))
            .containsExactly(expected);
      }
    }
    List<String> prompts = many(32);
    GenerationConfig b32 = GenerationConfig.greedy(16).toBuilder().batchSize(32).build();
    List<Generation> legacy = new LegacyGenerator(model).generate(prompts, b32);
    List<Generation> current = generator.generate(prompts, b32);
    for (int i = 0; i < prompts.size(); i++) {
      assertThat(current.get(i).tokens()).as(prompts.get(i))
          .containsExactly(legacy.get(i).tokens());
      assertThat(current.get(i).text()).isEqualTo(legacy.get(i).text());
      assertThat(current.get(i).finishReason()).isEqualTo(legacy.get(i).finishReason());
    }
  }

  /**
   * A random GQA model (norm weights not 1) with LoRA on every projection: greedy generation
   * of prompts of different lengths (left-padded in one batch, or one at a time) equals greedy
   * decoding by the plain full-sequence forward pass, adapters on and off.
   */
  @Test
  void greedyOnARandomGqaModelWithLoraEqualsFullForwardGreedy() throws Exception {
    try (LoadedModel gqa = ModelLoader.random(TinyModels.gqaConfig(),
        TinyModels.storiesTokenizer(), Device.cpu(), DataType.FLOAT32, 21)) {
      TinyModels.randomizeWeights(gqa.block(), 22);
      Lora lora = TinyModels.randomLora(gqa.block(), 23);
      Generator g = new Generator(gqa);
      List<int[]> prompts = List.of(new int[] {1, 40, 300}, new int[] {1, 7, 8, 9, 10, 11, 12},
          new int[] {1}, new int[] {1, 200, 201, 202, 203});
      long[] seeds = {1, 1, 1, 1};
      for (boolean on : new boolean[] {true, false}) {
        lora.setEnabled(on);
        for (int batch : new int[] {1, 4}) {
          List<Generation> got = g.generateTokens(prompts, seeds, GenerationConfig.greedy(12)
              .toBuilder().stopAtEos(false).batchSize(batch).build());
          for (int i = 0; i < prompts.size(); i++) {
            assertThat(got.get(i).tokens()).as("LoRA %s batch %d prompt %d", on, batch, i)
                .containsExactly(fullForwardGreedy(gqa, prompts.get(i), 12));
          }
        }
      }
    }
  }

  /** Greedy decoding the slow way: the whole sequence through the plain forward pass per token. */
  static int[] fullForwardGreedy(LoadedModel m, int[] prompt, int n) {
    int v = m.config().vocabSize();
    int[] seq = Arrays.copyOf(prompt, prompt.length + n);
    for (int len = prompt.length; len < seq.length; len++) {
      try (NDManager s = m.manager().newSubManager()) {
        long[] ids = new long[len];
        for (int j = 0; j < len; j++) {
          ids[j] = seq[j];
        }
        float[] logits = m.block().logits(s.create(ids, new Shape(1, len))).toFloatArray();
        seq[len] = Sampler.argmax(Arrays.copyOfRange(logits, (len - 1) * v, len * v));
      }
    }
    return Arrays.copyOfRange(seq, prompt.length, seq.length);
  }

  @Test
  void seededSamplingIsIdenticalAcrossBatchSizesAndEqualsRunCsSampler() {
    List<String> prompts = many(12);
    for (GenerationConfig sampled : List.of(
        GenerationConfig.greedy(8).toBuilder().temperature(1f).topP(1f).seed(7).build(),
        GenerationConfig.greedy(8).toBuilder().temperature(0.8f).topP(0.9f).seed(11).build(),
        GenerationConfig.greedy(8).toBuilder().temperature(1.2f).topK(20).topP(0.95f)
            .seed(3).build())) {
      List<int[]> one = tokens(generator.generate(prompts, sampled.toBuilder().batchSize(1)
          .build()));
      for (int batch : new int[] {3, 12}) {
        List<int[]> other = tokens(generator.generate(prompts,
            sampled.toBuilder().batchSize(batch).build()));
        for (int i = 0; i < prompts.size(); i++) {
          assertThat(other.get(i)).as("%s batch %d row %d", sampled, batch, i)
              .containsExactly(one.get(i));
        }
      }
      if (sampled.topK() == 0) {
        // run.c's own sampling on the host, over the full logits (the legacy generator)
        List<int[]> runC = tokens(new LegacyGenerator(model).generate(prompts.subList(0, 6),
            sampled.toBuilder().batchSize(6).build()));
        for (int i = 0; i < 6; i++) {
          assertThat(one.get(i)).as("run.c sampler, %s row %d", sampled, i)
              .containsExactly(runC.get(i));
        }
      }
    }
  }

  @Test
  void rowSeedsGiveDifferentSamplesOfOnePrompt() {
    GenerationConfig cfg = GenerationConfig.greedy(16).toBuilder().temperature(1f).topP(1f)
        .batchSize(4).build();
    List<String> same = List.of("Tom had a red", "Tom had a red", "Tom had a red",
        "Tom had a red");
    long[] seeds = new long[4];
    for (int i = 0; i < 4; i++) {
      seeds[i] = Generator.rowSeed(42, i);
    }
    List<int[]> distinct = tokens(generator.generate(same, seeds, cfg));
    assertThat(distinct.stream().map(Arrays::toString).distinct().count()).isGreaterThan(2);
    // the same seed in another position gives the same text
    long[] swapped = {seeds[3], seeds[2], seeds[1], seeds[0]};
    List<int[]> again = tokens(generator.generate(same, swapped, cfg.toBuilder().batchSize(3)
        .build()));
    assertThat(again.get(0)).containsExactly(distinct.get(3));
    assertThat(again.get(3)).containsExactly(distinct.get(0));
    assertThat(Generator.rowSeed(42, 0)).isNotEqualTo(Generator.rowSeed(42, 1))
        .isNotEqualTo(Generator.rowSeed(43, 0));
  }

  @Test
  void stopStringsCutTheTextExactlyEvenAcrossTokens() {
    String prompt = "Once upon a time";
    Generation full = generator.generate(prompt, GenerationConfig.greedy(40));
    String text = full.text();
    // a stop string that spans several tokens and starts inside the text
    String stop = "little girl";
    int at = text.indexOf(stop);
    assertThat(at).as(text).isPositive();
    assertThat(model.tokenizer().encode(stop).length).isGreaterThan(1);
    Generation cut = generator.generate(prompt, GenerationConfig.greedy(40).toBuilder()
        .stopStrings(List.of("never appears zzz", stop)).build());
    assertThat(cut.finishReason()).isEqualTo(Generator.STOP);
    assertThat(cut.text()).isEqualTo(text.substring(0, at));
    // the tokens are the unstopped run's, up to the one that completed the stop string
    int[] prefix = Arrays.copyOf(full.tokens(), cut.tokens().length);
    assertThat(cut.tokens()).containsExactly(prefix);
    assertThat(model.tokenizer().decode(cut.tokens())).contains(stop)
        .doesNotContain(stop + text.substring(at + stop.length()));
    // the earliest of several stop strings wins, in a batch with an unstopped row
    String first = text.substring(at + 2, at + 6);
    List<Generation> both = generator.generate(List.of(prompt, "Lily"), GenerationConfig.greedy(40)
        .toBuilder().stopStrings(List.of(stop, first)).batchSize(2).build());
    assertThat(both.get(0).text()).isEqualTo(text.substring(0, at + 2));
    assertThat(both.get(1).text()).isEqualTo(generator.generate("Lily",
        GenerationConfig.greedy(40).toBuilder().stopStrings(List.of(stop, first)).build()).text());
    assertThatThrownBy(() -> GenerationConfig.greedy(4).toBuilder().stopStrings(List.of(""))
        .build()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eosMaxTokensAndContextEndARow() {
    // EOS ends a row: make the 6th token of a known greedy run the tokenizer's EOS
    Generation full = generator.generate("Once upon a time", GenerationConfig.greedy(12));
    int eos = full.tokens()[5];
    int first = 0;
    while (full.tokens()[first] != eos) {
      first++;
    }
    Tokenizer base = model.tokenizer();
    Tokenizer withEos = new Tokenizer() {
      public int bosId() {
        return base.bosId();
      }

      public int eosId() {
        return eos;
      }

      public int[] encode(String text) {
        return base.encode(text);
      }

      public String decode(int[] ids) {
        return base.decode(ids);
      }

      public int vocabSize() {
        return base.vocabSize();
      }

      public String describe() {
        return "eos=" + eos;
      }
    };
    Generator g = new Generator(model.block(), withEos, model.manager());
    Generation ended = g.generate("Once upon a time", GenerationConfig.greedy(12));
    assertThat(ended.finishReason()).isEqualTo(Generator.EOS);
    assertThat(ended.tokens()).containsExactly(Arrays.copyOf(full.tokens(), first));
    Generation on = g.generate("Once upon a time", GenerationConfig.greedy(12).toBuilder()
        .stopAtEos(false).build());
    assertThat(on.tokens()).containsExactly(full.tokens());
    assertThat(on.finishReason()).isEqualTo(Generator.LENGTH);

    Generation none = generator.generate("Tom", GenerationConfig.greedy(0));
    assertThat(none.tokens()).isEmpty();
    assertThat(none.finishReason()).isEqualTo(Generator.LENGTH);

    // a prompt 3 tokens short of the context gets 3 tokens at most
    int[] longPrompt = new int[model.config().maxSeqLen() - 3];
    Arrays.fill(longPrompt, model.tokenizer().encode(" the")[0]);
    longPrompt[0] = model.tokenizer().bosId();
    Generation ctx = generator.generateTokens(List.of(longPrompt), new long[] {1},
        GenerationConfig.greedy(10).toBuilder().stopAtEos(false).build()).get(0);
    assertThat(ctx.tokens()).hasSize(3);
    assertThat(ctx.finishReason()).isEqualTo(Generator.CONTEXT);
  }

  @Test
  void deviceSelectionMatchesASlowReferenceOnRandomLogits() {
    Random rnd = new Random(5);
    try (NDManager m = model.manager().newSubManager()) {
      for (int trial = 0; trial < 30; trial++) {
        int b = 1 + rnd.nextInt(6);
        int v = 2 + rnd.nextInt(60);
        float temperature = 0.3f + 1.5f * rnd.nextFloat();
        float topP = rnd.nextBoolean() ? 1f : 0.05f + 0.95f * rnd.nextFloat();
        int topK = rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(v + 3);
        GenerationConfig cfg = GenerationConfig.greedy(1).toBuilder().temperature(temperature)
            .topP(topP).topK(topK).build();
        float[] logits = new float[b * v];
        for (int i = 0; i < logits.length; i++) {
          logits[i] = (float) (3 * rnd.nextGaussian());
        }
        float[] coins = new float[b];
        for (int i = 0; i < b; i++) {
          coins[i] = rnd.nextFloat();
        }
        NDArray l = m.create(logits, new Shape(b, v));
        long[] got = new TokenSelector(m, cfg).select(l, coins).toLongArray();
        for (int r = 0; r < b; r++) {
          int expected = referencePick(Arrays.copyOfRange(logits, r * v, (r + 1) * v),
              temperature, topP, topK, coins[r]);
          assertThat(got[r]).as("trial %d row %d (T %s, p %s, k %d)", trial, r, temperature,
              topP, topK).isEqualTo(expected);
        }
        long[] greedy = new TokenSelector(m, GenerationConfig.greedy(1)).select(l, null)
            .toLongArray();
        for (int r = 0; r < b; r++) {
          assertThat(greedy[r]).isEqualTo(
              Sampler.argmax(Arrays.copyOfRange(logits, r * v, (r + 1) * v)));
        }
      }
    }
  }

  /**
   * The documented rule, written plainly in double precision: candidates sorted by probability
   * (top-k, then the shortest prefix whose mass exceeds top-p), the coin scaled by their mass;
   * over the vocabulary in id order when neither restricts.
   */
  static int referencePick(float[] logits, float temperature, float topP, int topK, float coin) {
    int v = logits.length;
    double max = Double.NEGATIVE_INFINITY;
    for (float x : logits) {
      max = Math.max(max, x / temperature);
    }
    double[] p = new double[v];
    double sum = 0;
    for (int i = 0; i < v; i++) {
      p[i] = Math.exp(logits[i] / temperature - max);
      sum += p[i];
    }
    for (int i = 0; i < v; i++) {
      p[i] /= sum;
    }
    int k = topK > 0 ? Math.min(topK, v) : v;
    if (k == v && topP >= 1) {
      double cdf = 0;
      for (int i = 0; i < v; i++) {
        cdf += p[i];
        if (coin < cdf) {
          return i;
        }
      }
      return v - 1;
    }
    Integer[] order = new Integer[v];
    for (int i = 0; i < v; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, c) -> Double.compare(p[c], p[a]));
    int last = k - 1;
    double cum = 0;
    for (int i = 0; i < k; i++) {
      cum += p[order[i]];
      if (topP < 1 && cum > topP) {
        last = i;
        break;
      }
    }
    double mass = 0;
    for (int i = 0; i <= last; i++) {
      mass += p[order[i]];
    }
    double r = coin * mass;
    double cdf = 0;
    for (int i = 0; i <= last; i++) {
      cdf += p[order[i]];
      if (r < cdf) {
        return order[i];
      }
    }
    return order[last];
  }
}

package org.genderalign.trainer.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.data.EncodedPair;
import org.genderalign.trainer.data.PairEncoder;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.model.ReferenceLlama;
import org.genderalign.trainer.tokenizer.Tokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LogLikelihoodScorerTest {

  static LoadedModel m;
  static ReferenceLlama ref;

  @BeforeAll
  static void load() throws Exception {
    m = ModelLoader.load("stories260K", DataRoot.fromEnvironment(), Device.cpu());
    ref = new ReferenceLlama(m.block());
  }

  @AfterAll
  static void close() {
    m.close();
  }

  @Test
  void harnessEncodingMovesTrailingSpaceAndKeepsALoneSpaceToken() {
    Tokenizer tok = m.tokenizer();
    HarnessEncoding enc = new HarnessEncoding(tok);
    // empty context: BOS alone, every token of the sentence scored (dummy prefix included)
    TokenRequest empty = enc.encode(new LoglikelihoodRequest("", "The man ran."));
    assertThat(empty.context()).containsExactly(tok.bosId());
    assertThat(empty.continuation()).containsExactly(tok.encode("The man ran."));
    // eval-protocol §1.2: " Unknown" after "A:" keeps a lone " " token
    TokenRequest unknown = enc.encode(new LoglikelihoodRequest("Q: who?\nA:", " Unknown"));
    assertThat(tok.decode(new int[] {unknown.continuation()[0]})).isIn(" ", "");
    assertThat(unknown.continuation()).hasSize(7);
    // a trailing space of the context moves to the continuation: same tokens either way
    TokenRequest moved = enc.encode(new LoglikelihoodRequest("Q: who?\nA: ", "Unknown"));
    assertThat(moved).isEqualTo(unknown);
  }

  @Test
  void scoresMatchThePlainJavaReferenceAndDoNotDependOnTheBatch() {
    List<LoglikelihoodRequest> requests = List.of(
        new LoglikelihoodRequest("", "Once upon a time there was a cat."),
        new LoglikelihoodRequest("Lily liked to", " play in the park."),
        new LoglikelihoodRequest("Lily liked to", " sky red cat."),
        new LoglikelihoodRequest("Tom went", " home"));
    List<LoglikelihoodResult> batched =
        new LogLikelihoodScorer(m, ScorerConfig.defaults()).score(requests);
    LogLikelihoodScorer single = new LogLikelihoodScorer(m, ScorerConfig.defaults()
        .withBatchSize(1));
    HarnessEncoding enc = new HarnessEncoding(m.tokenizer());
    for (int i = 0; i < requests.size(); i++) {
      LoglikelihoodResult one = single.score(List.of(requests.get(i))).get(0);
      assertThat(batched.get(i).logLikelihood()).isCloseTo(one.logLikelihood(),
          Offset.offset(1e-4));
      assertThat(batched.get(i).greedy()).isEqualTo(one.greedy());
      TokenRequest t = enc.encode(requests.get(i));
      double[] expected = reference(t);
      assertThat(batched.get(i).logLikelihood()).isCloseTo(expected[0], Offset.offset(1e-3));
      assertThat(batched.get(i).greedy()).isEqualTo(expected[1] == 1);
      assertThat(batched.get(i).tokens()).isEqualTo(t.continuation().length);
    }
    assertThat(batched.get(1).logLikelihood()).isGreaterThan(batched.get(2).logLikelihood());
  }

  /**
   * Random requests — shared contexts, continuations sharing prefixes, exact duplicates, empty
   * continuations, greedy continuations — give the reference's numbers whether contexts are
   * shared (packed rows, several batches) or not (one request per row).
   */
  @Test
  void sharedContextsGiveTheUngroupedAndReferenceNumbers() {
    Random rnd = new Random(7);
    int bos = m.tokenizer().bosId();
    List<TokenRequest> requests = new ArrayList<>();
    for (int g = 0; g < 6; g++) {
      int[] ctx = randomTokens(rnd, 2 + rnd.nextInt(29));
      ctx[0] = bos;
      int[] greedy = ref.greedy(ctx, 6, -1, -1); // the model's own continuation: greedy = true
      int[] base = randomTokens(rnd, 8);
      requests.add(new TokenRequest(ctx, greedy));
      for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
        // continuations that share a prefix of 'base' and then differ
        int[] cont = Arrays.copyOf(base, 1 + rnd.nextInt(8));
        cont[cont.length - 1] = 3 + rnd.nextInt(500);
        requests.add(new TokenRequest(ctx, cont));
      }
      requests.add(new TokenRequest(ctx, Arrays.copyOf(base, 5)));
      requests.add(new TokenRequest(ctx, Arrays.copyOf(base, 5))); // a duplicate
      requests.add(new TokenRequest(ctx, new int[0])); // nothing to score
    }
    Collections.shuffle(requests, rnd);
    LogLikelihoodScorer shared = new LogLikelihoodScorer(m, ScorerConfig.defaults()
        .withBatchSize(2));
    List<LoglikelihoodResult> grouped = shared.scoreTokens(requests);
    List<LoglikelihoodResult> alone = new LogLikelihoodScorer(m, ScorerConfig.defaults()
        .withShareContexts(false)).scoreTokens(requests);
    // batches on two threads: the same numbers, in the same order
    List<LoglikelihoodResult> threaded = new LogLikelihoodScorer(m, ScorerConfig.defaults()
        .withBatchSize(2).withThreads(2)).scoreTokens(requests);
    for (int i = 0; i < requests.size(); i++) {
      assertThat(threaded.get(i).logLikelihood()).isCloseTo(grouped.get(i).logLikelihood(),
          Offset.offset(1e-6));
      assertThat(threaded.get(i).greedy()).isEqualTo(grouped.get(i).greedy());
    }
    int greedyCount = 0;
    for (int i = 0; i < requests.size(); i++) {
      TokenRequest r = requests.get(i);
      double[] expected = reference(r);
      assertThat(grouped.get(i).logLikelihood()).as("request %d", i)
          .isCloseTo(alone.get(i).logLikelihood(), Offset.offset(1e-4))
          .isCloseTo(expected[0], Offset.offset(1e-3));
      assertThat(grouped.get(i).greedy()).as("request %d", i)
          .isEqualTo(alone.get(i).greedy()).isEqualTo(expected[1] == 1);
      assertThat(grouped.get(i).tokens()).isEqualTo(r.continuation().length);
      greedyCount += grouped.get(i).greedy() && r.continuation().length > 0 ? 1 : 0;
    }
    assertThat(greedyCount).isGreaterThanOrEqualTo(6);
    // 6 contexts: 6 rows in 3 batches of 2; every context computed once
    ScorerStats s = shared.stats();
    assertThat(s.forwardPasses()).isEqualTo(3);
    assertThat(s.computed()).isEqualTo(requests.size() - 6);
    assertThat(s.rowTokens()).isLessThan(s.requestTokens());
  }

  /** Many text requests are tokenized on several cores: the same tokens, in the same order. */
  @Test
  void manyTextRequestsAreTokenizedInParallelInOrder() {
    String[] names = {"Tom", "Lily", "Sue", "Ben", "Max", "Mia", "Sam", "Zoe", "Leo", "Ava"};
    String[] verbs = {" ran", " sat", " ate", " slept", " sang", " cried", " jumped", " hid",
        " read", " fell", " won"};
    List<LoglikelihoodRequest> requests = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String ctx = names[i % 10] + " and " + names[(i / 10) % 10] + " went out.";
      for (String v : verbs) {
        requests.add(new LoglikelihoodRequest(ctx, " They" + v + "."));
      }
    }
    assertThat(requests.size()).isGreaterThanOrEqualTo(LogLikelihoodScorer.PARALLEL_ENCODE_MIN);
    HarnessEncoding enc = new HarnessEncoding(m.tokenizer());
    assertThat(new LogLikelihoodScorer(m, ScorerConfig.defaults()).encodeAll(requests))
        .containsExactlyElementsOf(requests.stream().map(enc::encode).toList());
  }

  /** A group whose packed row would pass {@link LogLikelihoodScorer#MAX_PACKED_LENGTH} spreads over rows. */
  @Test
  void aGroupTooLongForOneRowIsSplitWithTheSameNumbers() {
    Random rnd = new Random(3);
    int[] ctx = randomTokens(rnd, 200);
    ctx[0] = m.tokenizer().bosId();
    List<TokenRequest> requests = new ArrayList<>();
    for (int k = 0; k < 7; k++) {
      requests.add(new TokenRequest(ctx, randomTokens(rnd, 60)));
    }
    LogLikelihoodScorer shared = new LogLikelihoodScorer(m, ScorerConfig.defaults());
    List<LoglikelihoodResult> grouped = shared.scoreTokens(requests);
    List<LoglikelihoodResult> alone = new LogLikelihoodScorer(m, ScorerConfig.defaults()
        .withShareContexts(false)).scoreTokens(requests);
    for (int i = 0; i < requests.size(); i++) {
      assertThat(grouped.get(i).logLikelihood()).isCloseTo(alone.get(i).logLikelihood(),
          Offset.offset(1e-4));
      assertThat(grouped.get(i).greedy()).isEqualTo(alone.get(i).greedy());
    }
    // 200 + 7 x 60 = 620 tokens: two rows (200 + 5 x 60, 200 + 2 x 60)
    assertThat(shared.stats().rowTokens()).isEqualTo(200 + 5 * 60 + 200 + 2 * 60);
  }

  @Test
  void pairsScoreTheirCompletionsWithEosGivenThePrompt() {
    PairEncoder enc = new PairEncoder(m.tokenizer(), 64);
    List<PreferencePair> pairs = List.of(
        PreferencePair.of("p1", "Once upon a time", " there was a cat.", " the sky fell down"),
        PreferencePair.of("p2", "Lily liked", " to play.", " red"),
        PreferencePair.of("p3", "Tom", " went to the park with his mom and dad.", " ."));
    List<EncodedPair> encoded = enc.encodeAll(pairs).pairs();
    LogLikelihoodScorer scorer = new LogLikelihoodScorer(m, ScorerConfig.defaults());
    List<PairScore> scores = scorer.scorePairs(encoded, n -> {});
    for (int i = 0; i < encoded.size(); i++) {
      EncodedPair e = encoded.get(i);
      assertThat(scores.get(i).id()).isEqualTo(e.id());
      assertThat(e.chosen()[e.chosen().length - 1]).isEqualTo(m.tokenizer().eosId());
      assertThat(scores.get(i).chosenTokens()).isEqualTo(e.chosen().length);
      assertThat(scores.get(i).rejectedTokens()).isEqualTo(e.rejected().length);
      assertThat(scores.get(i).chosenLogp()).isCloseTo(
          reference(new TokenRequest(e.prompt(), e.chosen()))[0], Offset.offset(1e-3));
      assertThat(scores.get(i).rejectedLogp()).isCloseTo(
          reference(new TokenRequest(e.prompt(), e.rejected()))[0], Offset.offset(1e-3));
    }
    // the fluent continuation is likelier than the broken one
    assertThat(scores.get(0).chosenLogp()).isGreaterThan(scores.get(0).rejectedLogp());
    // chosen and rejected share their prompt: one row per pair
    assertThat(scorer.stats().rowTokens()).isLessThan(scorer.stats().requestTokens());
  }

  @Test
  void aRequestLongerThanTheContextFailsLoudlyNamingIt() {
    int[] longCont = new int[m.config().maxSeqLen()];
    Arrays.fill(longCont, 300);
    LogLikelihoodScorer s = new LogLikelihoodScorer(m, ScorerConfig.defaults());
    TokenRequest ok = new TokenRequest(new int[] {1}, new int[] {300});
    assertThatThrownBy(() -> s.scoreTokens(List.of(ok, new TokenRequest(new int[] {1}, longCont))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("request 1 has 513 tokens")
        .hasMessageContaining("more than the model's context of 512");
    assertThatThrownBy(() -> s.scoreTokens(List.of(new TokenRequest(new int[] {1}, new int[] {512}))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("request 0 holds token id 512");
    assertThat(s.stats().forwardPasses()).isZero();
  }

  static int[] randomTokens(Random rnd, int n) {
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = 3 + rnd.nextInt(509);
    }
    return t;
  }

  /** {sum of log p, 1 if greedy} from the plain-Java model. */
  static double[] reference(TokenRequest r) {
    if (r.continuation().length == 0) {
      return new double[] {0, 1};
    }
    int[] seq = new int[r.length()];
    System.arraycopy(r.context(), 0, seq, 0, r.context().length);
    System.arraycopy(r.continuation(), 0, seq, r.context().length, r.continuation().length);
    float[][] lg = ref.logits(seq);
    double sum = 0;
    boolean greedy = true;
    for (int j = r.context().length; j < seq.length; j++) {
      float[] row = lg[j - 1];
      double max = Double.NEGATIVE_INFINITY;
      int arg = 0;
      for (int v = 0; v < row.length; v++) {
        if (row[v] > max) {
          max = row[v];
          arg = v;
        }
      }
      double z = 0;
      for (float x : row) {
        z += Math.exp(x - max);
      }
      sum += row[seq[j]] - max - Math.log(z);
      greedy &= arg == seq[j];
    }
    return new double[] {sum, greedy ? 1 : 0};
  }
}

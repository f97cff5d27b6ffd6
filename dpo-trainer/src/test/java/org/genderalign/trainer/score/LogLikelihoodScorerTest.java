package org.genderalign.trainer.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.util.List;
import org.assertj.core.data.Offset;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.model.ReferenceLlama;
import org.genderalign.trainer.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

class LogLikelihoodScorerTest {

  @Test
  void harnessEncodingMovesTrailingSpaceAndKeepsALoneSpaceToken() throws Exception {
    try (LoadedModel m = ModelLoader.load("stories260K", DataRoot.fromEnvironment(), Device.cpu())) {
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
  }

  @Test
  void scoresMatchThePlainJavaReferenceAndDoNotDependOnTheBatch() throws Exception {
    try (LoadedModel m = ModelLoader.load("stories260K", DataRoot.fromEnvironment(), Device.cpu())) {
      List<LoglikelihoodRequest> requests = List.of(
          new LoglikelihoodRequest("", "Once upon a time there was a cat."),
          new LoglikelihoodRequest("Lily liked to", " play in the park."),
          new LoglikelihoodRequest("Lily liked to", " sky red cat."),
          new LoglikelihoodRequest("Tom went", " home"));
      List<LoglikelihoodResult> batched =
          new LogLikelihoodScorer(m, ScorerConfig.defaults()).score(requests);
      LogLikelihoodScorer single = new LogLikelihoodScorer(m, ScorerConfig.defaults()
          .withBatchSize(1));
      ReferenceLlama ref = new ReferenceLlama(m.block());
      HarnessEncoding enc = new HarnessEncoding(m.tokenizer());
      for (int i = 0; i < requests.size(); i++) {
        LoglikelihoodResult one = single.score(List.of(requests.get(i))).get(0);
        assertThat(batched.get(i).logLikelihood()).isCloseTo(one.logLikelihood(),
            Offset.offset(1e-4));
        TokenRequest t = enc.encode(requests.get(i));
        double[] expected = reference(ref, t);
        assertThat(batched.get(i).logLikelihood()).isCloseTo(expected[0], Offset.offset(1e-3));
        assertThat(batched.get(i).greedy()).isEqualTo(expected[1] == 1);
        assertThat(batched.get(i).tokens()).isEqualTo(t.continuation().length);
      }
      assertThat(batched.get(1).logLikelihood()).isGreaterThan(batched.get(2).logLikelihood());
    }
  }

  @Test
  void aRequestLongerThanTheContextFailsLoudly() throws Exception {
    try (LoadedModel m = ModelLoader.load("stories260K", DataRoot.fromEnvironment(), Device.cpu())) {
      int[] longCont = new int[m.config().maxSeqLen()];
      java.util.Arrays.fill(longCont, 300);
      LogLikelihoodScorer s = new LogLikelihoodScorer(m, ScorerConfig.defaults());
      assertThatThrownBy(() -> s.scoreTokens(List.of(new TokenRequest(new int[] {1}, longCont))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("more than the model's context");
    }
  }

  /** {sum of log p, 1 if greedy} from the plain-Java model. */
  private static double[] reference(ReferenceLlama ref, TokenRequest r) {
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

package org.genderalign.trainer.score;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.data.EncodedPair;
import org.genderalign.trainer.data.PairEncoder;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.model.ReferenceLlama;
import org.junit.jupiter.api.Test;

class SequenceScorerTest {

  @Test
  void completionLogProbIsTheReferenceSumIncludingEosAndIndependentOfTheBatch() throws Exception {
    try (LoadedModel m = ModelLoader.load("stories260K", DataRoot.fromEnvironment(), Device.cpu())) {
      PairEncoder enc = new PairEncoder(m.tokenizer(), 64);
      List<PreferencePair> pairs = List.of(
          PreferencePair.of("p1", "Once upon a time", " there was a cat.", " the sky fell down"),
          PreferencePair.of("p2", "Lily liked", " to play.", " red"),
          PreferencePair.of("p3", "Tom", " went to the park with his mom and dad.", " ."));
      List<EncodedPair> encoded = enc.encodeAll(pairs).pairs();
      List<SequenceScorer.PairScore> one = new ArrayList<>();
      SequenceScorer single = new SequenceScorer(m, 1);
      for (EncodedPair e : encoded) {
        one.add(single.scoreEncoded(List.of(e)).get(0));
      }
      List<SequenceScorer.PairScore> batched = new SequenceScorer(m, 6).scoreEncoded(encoded);
      ReferenceLlama ref = new ReferenceLlama(m.block());
      for (int i = 0; i < encoded.size(); i++) {
        EncodedPair e = encoded.get(i);
        assertThat(batched.get(i).chosenLogp()).isCloseTo(one.get(i).chosenLogp(),
            org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(batched.get(i).rejectedLogp()).isCloseTo(one.get(i).rejectedLogp(),
            org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(batched.get(i).chosenTokens()).isEqualTo(e.chosen().length);
        assertThat(e.chosen()[e.chosen().length - 1]).isEqualTo(m.tokenizer().eosId());
        assertThat(batched.get(i).chosenLogp())
            .isCloseTo(referenceLogp(ref, e.prompt(), e.chosen()),
                org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(batched.get(i).rejectedLogp())
            .isCloseTo(referenceLogp(ref, e.prompt(), e.rejected()),
                org.assertj.core.data.Offset.offset(1e-3f));
      }
      // the fluent continuation is likelier than the broken one
      assertThat(batched.get(0).chosenLogp()).isGreaterThan(batched.get(0).rejectedLogp());
    }
  }

  private static float referenceLogp(ReferenceLlama ref, int[] prompt, int[] completion) {
    int[] seq = new int[prompt.length + completion.length];
    System.arraycopy(prompt, 0, seq, 0, prompt.length);
    System.arraycopy(completion, 0, seq, prompt.length, completion.length);
    float[][] lg = ref.logits(seq);
    double sum = 0;
    for (int j = 0; j < completion.length; j++) {
      float[] row = lg[prompt.length + j - 1];
      double max = Double.NEGATIVE_INFINITY;
      for (float v : row) {
        max = Math.max(max, v);
      }
      double z = 0;
      for (float v : row) {
        z += Math.exp(v - max);
      }
      sum += row[completion[j]] - max - Math.log(z);
    }
    return (float) sum;
  }
}

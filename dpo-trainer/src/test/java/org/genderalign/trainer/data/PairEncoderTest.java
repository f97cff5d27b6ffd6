package org.genderalign.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.trainer.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

class PairEncoderTest {

  /** One token per character (id = char), BOS 1, EOS 2 — boundaries are easy to see. */
  static final class CharTokenizer implements Tokenizer {
    final int bos;
    final int eos;

    CharTokenizer(int bos, int eos) {
      this.bos = bos;
      this.eos = eos;
    }

    @Override
    public int bosId() {
      return bos;
    }

    @Override
    public int eosId() {
      return eos;
    }

    @Override
    public int[] encode(String text) {
      return text.chars().toArray();
    }

    @Override
    public String decode(int[] ids) {
      return new String(ids, 0, ids.length);
    }

    @Override
    public int vocabSize() {
      return 256;
    }

    @Override
    public String describe() {
      return "chars";
    }
  }

  @Test
  void bosOnceAtPromptStartEosAfterEachCompletionEncodedSeparately() {
    PairEncoder enc = new PairEncoder(new CharTokenizer(1, 2), 100);
    EncodedPair p = enc.encode(PreferencePair.of("a", "Hi", "yes", "no")).orElseThrow();
    assertThat(p.prompt()).containsExactly(1, 'H', 'i');
    assertThat(p.chosen()).containsExactly('y', 'e', 's', 2);
    assertThat(p.rejected()).containsExactly('n', 'o', 2);
    assertThat(p.chosenSequence()).containsExactly(1, 'H', 'i', 'y', 'e', 's', 2);
    assertThat(p.truncated()).isFalse();
  }

  @Test
  void noBosOrEosWhenTheTokenizerHasNone() {
    PairEncoder enc = new PairEncoder(new CharTokenizer(-1, -1), 100);
    EncodedPair p = enc.encode(PreferencePair.of("a", "Hi", "yes", "no")).orElseThrow();
    assertThat(p.prompt()).containsExactly('H', 'i');
    assertThat(p.chosen()).containsExactly('y', 'e', 's');
  }

  @Test
  void truncationKeepsTheStartAndPromptFillingPairsAreDroppedAndCounted() {
    PairEncoder enc = new PairEncoder(new CharTokenizer(1, 2), 5);
    EncodedPair p = enc.encode(PreferencePair.of("a", "ab", "xyz", "q")).orElseThrow();
    assertThat(p.chosen()).containsExactly('x', 'y'); // 3 prompt + 2 = 5, EOS cut
    assertThat(p.rejected()).containsExactly('q', 2);
    assertThat(p.truncated()).isTrue();
    PairEncoder.Result r = enc.encodeAll(List.of(
        PreferencePair.of("keep", "ab", "x", "y"),
        PreferencePair.of("drop", "abcd", "x", "y"), // BOS + 4 = 5 = maxLength: no room
        PreferencePair.of("cut", "a", "long answer", "y")));
    assertThat(r.pairs()).extracting(EncodedPair::id).containsExactly("keep", "cut");
    assertThat(r.droppedIds()).containsExactly("drop");
    assertThat(r.truncatedCount()).isEqualTo(1);
  }

  @Test
  void hhTemplateWrapsPlainPromptsAndKeepsTranscripts() {
    PromptTemplate hh = PromptTemplate.named("hh");
    assertThat(hh.apply("Why?")).isEqualTo("\n\nHuman: Why?\n\nAssistant:");
    String transcript = "\n\nHuman: a\n\nAssistant: b\n\nHuman: c\n\nAssistant:";
    assertThat(hh.apply(transcript)).isEqualTo(transcript);
    assertThat(PromptTemplate.named("raw").apply("x")).isEqualTo("x");
    assertThat(PromptTemplate.DEFAULT.apply("x")).isEqualTo("x");
    assertThatThrownBy(() -> PromptTemplate.named("vicuna-9"))
        .hasMessageContaining("unknown prompt template").hasMessageContaining("raw, hh");
    PairEncoder enc = new PairEncoder(new CharTokenizer(1, 2), hh, 100);
    int[] prompt = enc.encode(PreferencePair.of("a", "Q", "A", "B")).orElseThrow().prompt();
    assertThat(new CharTokenizer(1, 2).decode(Arrays.copyOfRange(prompt, 1, prompt.length)))
        .isEqualTo("\n\nHuman: Q\n\nAssistant:");
  }

  @Test
  void rejectsTinyMaxLength() {
    assertThatThrownBy(() -> new PairEncoder(new CharTokenizer(1, 2), 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

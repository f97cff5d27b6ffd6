package org.genderalign.trainer.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.error.InvalidInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Llama2cTokenizerTest {

  static Llama2cTokenizer tok;

  @BeforeAll
  static void load() throws Exception {
    tok = Llama2cTokenizer.load(DataRoot.fromEnvironment().file("tokenizer-stories260k"));
  }

  @Test
  void vocabularyLayoutIsLlama2cs() {
    assertThat(tok.vocabSize()).isEqualTo(512);
    assertThat(tok.bosId()).isEqualTo(1);
    assertThat(tok.eosId()).isEqualTo(2);
    // 3..258 are the raw bytes <0x00>..<0xFF>
    assertThat(new String(tok.piece(3 + 'A'))).isEqualTo("<0x41>");
    // merges are scored -(id - 259)
    assertThat(tok.score(300)).isEqualTo(-41f);
  }

  @Test
  void emptyTextHasNoTokensAndNoDummyPrefix() {
    assertThat(tok.encode("")).isEmpty();
  }

  @Test
  void dummyPrefixSpaceComesFirst() {
    int[] a = tok.encode("a");
    // " a" is one merged piece or a space then "a"; either way decoding gives back "a"
    assertThat(new String(tok.piece(a[0]))).startsWith(" ");
    assertThat(tok.decode(a)).isEqualTo("a");
  }

  @Test
  void unknownCodePointsFallBackToBytesPlusThree() {
    // no CJK in a 512-token TinyStories vocabulary: 3 UTF-8 bytes each → ids byte + 3
    int[] ids = tok.encode("猫");
    byte[] utf8 = "猫".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(ids).hasSize(1 + utf8.length);
    for (int i = 0; i < utf8.length; i++) {
      assertThat(ids[1 + i]).isEqualTo((utf8[i] & 0xFF) + 3);
    }
    assertThat(tok.decode(ids)).isEqualTo("猫");
  }

  /**
   * The encoder (which re-looks up only the pairs a merge changed) gives run.c's result: the
   * naive loop below scans every adjacent pair at every step. Random texts from a small
   * alphabet (many ties and long merge chains) plus real BBQ-like text.
   */
  @Test
  void encodeMatchesTheNaiveMergeLoopOnRandomTexts() {
    java.util.Random rnd = new java.util.Random(11);
    String alphabet = "aeiou tnsrhlTdm.,\n'éA";
    java.util.List<String> texts = new java.util.ArrayList<>(List.of(
        "We couldn't start the board meeting at 9am today because a man and a woman were late."
            + "\n\nQ: Who was the secretary?\nA: Can't be determined", "", " ", "  a"));
    for (int k = 0; k < 300; k++) {
      StringBuilder b = new StringBuilder();
      int len = rnd.nextInt(80);
      for (int i = 0; i < len; i++) {
        b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
      }
      texts.add(b.toString());
    }
    for (String t : texts) {
      assertThat(tok.encode(t)).as(t).containsExactly(naiveEncode(t));
    }
  }

  /** run.c's merge loop, literally: every step scans every pair; highest score, leftmost. */
  private int[] naiveEncode(String text) {
    if (text.isEmpty()) {
      return new int[0];
    }
    java.util.Map<String, Integer> ids = new java.util.HashMap<>();
    for (int id = 0; id < tok.vocabSize(); id++) {
      ids.putIfAbsent(new String(tok.piece(id), java.nio.charset.StandardCharsets.ISO_8859_1), id);
    }
    java.util.List<Integer> t = new java.util.ArrayList<>();
    t.add(ids.get(" "));
    text.codePoints().forEach(cp -> {
      byte[] u = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Integer id = ids.get(new String(u, java.nio.charset.StandardCharsets.ISO_8859_1));
      if (id != null) {
        t.add(id);
      } else {
        for (byte x : u) {
          t.add((x & 0xFF) + 3);
        }
      }
    });
    while (true) {
      float best = -1e10f;
      int bestIdx = -1;
      int bestId = -1;
      for (int i = 0; i + 1 < t.size(); i++) {
        String ab = new String(tok.piece(t.get(i)), java.nio.charset.StandardCharsets.ISO_8859_1)
            + new String(tok.piece(t.get(i + 1)), java.nio.charset.StandardCharsets.ISO_8859_1);
        Integer id = ids.get(ab);
        if (id != null && tok.score(id) > best) {
          best = tok.score(id);
          bestIdx = i;
          bestId = id;
        }
      }
      if (bestIdx < 0) {
        return t.stream().mapToInt(Integer::intValue).toArray();
      }
      t.set(bestIdx, bestId);
      t.remove(bestIdx + 1);
    }
  }

  @Test
  void roundTripsTextAndMergesGreedilyByScore() {
    for (String s : List.of("Once upon a time, there was a little girl named Lily.",
        "Hello\nworld!  Two  spaces; émoji 🙂 and tabs\t.", "x")) {
      assertThat(tok.decode(tok.encode(s))).isEqualTo(s);
    }
    // no adjacent pair of the result can still be merged into a vocabulary piece
    int[] ids = tok.encode("She loved to play outside in the park.");
    for (int i = 0; i + 1 < ids.length; i++) {
      byte[] a = tok.piece(ids[i]);
      byte[] b = tok.piece(ids[i + 1]);
      byte[] ab = new byte[a.length + b.length];
      System.arraycopy(a, 0, ab, 0, a.length);
      System.arraycopy(b, 0, ab, a.length, b.length);
      for (int id = 0; id < tok.vocabSize(); id++) {
        assertThat(java.util.Arrays.equals(tok.piece(id), ab)).as("mergeable at %d", i).isFalse();
      }
    }
  }

  @Test
  void saveThenLoadIsIdentical(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("tokenizer.bin");
    tok.save(f);
    assertThat(Files.readAllBytes(f))
        .isEqualTo(Files.readAllBytes(DataRoot.fromEnvironment().file("tokenizer-stories260k")));
  }

  @Test
  void truncatedFileIsAClearError(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.bin");
    byte[] all = Files.readAllBytes(DataRoot.fromEnvironment().file("tokenizer-stories260k"));
    Files.write(f, java.util.Arrays.copyOf(all, 1000));
    assertThatThrownBy(() -> Llama2cTokenizer.load(f)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("bad.bin");
  }
}

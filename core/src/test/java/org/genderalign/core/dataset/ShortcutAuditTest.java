package org.genderalign.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.PairFiles;
import org.genderalign.core.testing.RealData;
import org.junit.jupiter.api.Test;

class ShortcutAuditTest {

  /** One answer of the release, wrapper stripped: the text after the last "Assistant:", trimmed. */
  private static String answer(String transcript) {
    return transcript.substring(transcript.lastIndexOf("Assistant:") + "Assistant:".length()).trim();
  }

  /** Whitespace words, as Python's str.split(). */
  private static String[] words(String s) {
    String t = s.trim();
    return t.isEmpty() ? new String[0] : t.split("\\s+");
  }

  private static double distinct2(List<String> texts) {
    Set<String> seen = new HashSet<>();
    int total = 0;
    for (String t : texts) {
      String[] w = words(t.toLowerCase(java.util.Locale.ROOT));
      for (int i = 0; i + 1 < w.length; i++) {
        seen.add(w[i] + " " + w[i + 1]);
        total++;
      }
    }
    return (double) seen.size() / total;
  }

  private static int median(int[] v) {
    int[] s = v.clone();
    Arrays.sort(s);
    return s[(s.length + 1) / 2 - 1];
  }

  /**
   * The figures issue #13 quotes for the real release sample, re-computed here from the raw JSON
   * without the project's readers (Jackson only), then compared with the audit of the same file
   * read through the genderalign format.
   */
  @Test
  void releaseSampleFiguresMatchAnIndependentComputation() throws Exception {
    Path file = RealData.file("genderalign-partial");
    JsonNode items = new ObjectMapper().readTree(file.toFile());
    List<String> chosen = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    for (JsonNode it : items) {
      chosen.add(answer(it.get("chosen").asText()));
      rejected.add(answer(it.get("rejected").asText()));
    }
    int n = chosen.size();
    int[] cw = new int[n];
    int[] rw = new int[n];
    int longer = 0;
    int ties = 0;
    for (int i = 0; i < n; i++) {
      cw[i] = words(chosen.get(i)).length;
      rw[i] = words(rejected.get(i)).length;
      longer += cw[i] > rw[i] ? 1 : 0;
      ties += cw[i] == rw[i] ? 1 : 0;
    }
    // The numbers of the issue: 101 pairs, longer answer chosen in 41% (41 pairs, 1 tie),
    // medians 34 vs 40 words, every answer distinct, distinct-2 0.66 / 0.74.
    assertThat(n).isEqualTo(101);
    assertThat(longer).isEqualTo(41);
    assertThat(ties).isEqualTo(1);
    assertThat(Math.round(100.0 * longer / n)).isEqualTo(41);
    assertThat(median(cw)).isEqualTo(34);
    assertThat(median(rw)).isEqualTo(40);
    assertThat(new HashSet<>(chosen)).hasSize(101);
    assertThat(new HashSet<>(rejected)).hasSize(101);
    double d2c = distinct2(chosen);
    double d2r = distinct2(rejected);
    assertThat(Math.round(d2c * 100) / 100.0).isEqualTo(0.66);
    assertThat(Math.round(d2r * 100) / 100.0).isEqualTo(0.74);
    double[] ratios = new double[n];
    for (int i = 0; i < n; i++) {
      ratios[i] = (double) cw[i] / rw[i];
    }
    Arrays.sort(ratios);

    List<PreferencePair> pairs = PairFiles.readAll(file, Formats.pairs("genderalign"));
    ShortcutAudit a = ShortcutAudit.of(pairs, AuditSettings.defaults());
    assertThat(a.pairs()).isEqualTo(101);
    assertThat(a.chosenLonger()).isEqualTo(longer);
    assertThat(a.ties()).isEqualTo(ties);
    assertThat(a.rejectedLonger()).isEqualTo(n - longer - ties);
    assertThat(a.chosen().words().median()).isEqualTo(34);
    assertThat(a.rejected().words().median()).isEqualTo(40);
    assertThat(a.lengthRatio().p50()).isEqualTo(ratios[50]);
    assertThat(a.lengthRatio().undefined()).isZero();
    assertThat(a.chosen().distinct()).isEqualTo(101);
    assertThat(a.rejected().distinctShare()).isEqualTo(1.0);
    // A file no larger than the sample is its own sample: every one of the 10 samples is the file.
    assertThat(a.sampleSize()).isEqualTo(101);
    assertThat(a.chosen().distinct2()).isCloseTo(d2c, within(1e-12));
    assertThat(a.rejected().distinct2()).isCloseTo(d2r, within(1e-12));
    // The release's own phrasing habit ("it's important to recognize") is its most common 4-gram.
    assertThat(a.chosen().commonFourGrams().get(0)).isEqualTo(new ShortcutAudit.FourGram("it's important to recognize", 15 / 101.0));
    assertThat(a.chosen().topFourGramShare()).isCloseTo(15 / 101.0, within(1e-12));
    // The release passes every default threshold it can be held to without a tokenizer.
    assertThat(a.warnings(AuditSettings.defaults())).isEmpty();
  }

  private static PreferencePair pair(int i, String chosen, String rejected) {
    return new PreferencePair("p" + i, "question " + i, chosen, rejected, null, null, null, Map.of());
  }

  @Test
  void lengthFiguresTiesUndefinedRatiosAndTokenBudget() {
    List<PreferencePair> ps = List.of(
        pair(0, "a b c d", "a b"),         // chosen longer, ratio 2
        pair(1, "a b", "a b c d"),         // rejected longer, ratio 0.5
        pair(2, "one two", "three four"),  // tie, ratio 1
        pair(3, "x", ""));                 // chosen longer, ratio undefined
    ShortcutAudit a = ShortcutAudit.of(ps, AuditSettings.defaults(), p -> p.chosen().length() * 10);
    assertThat(a.chosenLonger()).isEqualTo(2);
    assertThat(a.rejectedLonger()).isEqualTo(1);
    assertThat(a.ties()).isEqualTo(1);
    assertThat(a.longerChosenShare()).isEqualTo(0.5);
    assertThat(a.tieShare()).isEqualTo(0.25);
    assertThat(a.lengthRatio()).isEqualTo(new ShortcutAudit.Quantiles(0.5, 0.5, 1.0, 2.0, 2.0, 1));
    // Token lengths 70, 30, 70, 10 against a budget of 256: none over; with 50, two.
    assertThat(a.tokens().over()).isZero();
    assertThat(a.overLengthShare()).isZero();
    ShortcutAudit b = ShortcutAudit.of(ps, AuditSettings.defaults().withMaxLength(50), p -> p.chosen().length() * 10);
    assertThat(b.tokens().over()).isEqualTo(2);
    assertThat(b.tokens().lengths().max()).isEqualTo(70);
    assertThat(b.warnings(AuditSettings.defaults().withMaxLength(50)))
        .anySatisfy(w -> assertThat(w).startsWith("length budget: 2 of 4 pairs (50.0%) exceed 50 tokens"));
    assertThat(ShortcutAudit.of(ps, AuditSettings.defaults()).tokens()).isNull();
    assertThat(ShortcutAudit.of(ps, AuditSettings.defaults()).overLengthShare()).isNaN();
  }

  @Test
  void emptySetHasZerosAndNoWarnings() {
    ShortcutAudit a = ShortcutAudit.of(List.of(), AuditSettings.defaults());
    assertThat(a.pairs()).isZero();
    assertThat(a.longerChosenShare()).isZero();
    assertThat(a.chosen().distinct2()).isZero();
    assertThat(a.chosen().commonFourGrams()).isEmpty();
    assertThat(a.warnings(AuditSettings.defaults())).isEmpty();
  }

  @Test
  void aTemplatedLengthBiasedSetTriggersEveryWarning() {
    List<PreferencePair> ps = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      ps.add(pair(i, "Here is a short summary of what the research shows about topic " + (i % 3),
          "No. " + (i % 2 == 0 ? "Maybe." : "Whatever.")));
    }
    ShortcutAudit a = ShortcutAudit.of(ps, AuditSettings.defaults(), p -> 300);
    List<String> w = a.warnings(AuditSettings.defaults());
    assertThat(w).anySatisfy(x -> assertThat(x).startsWith("length shortcut: the longer answer is the chosen one in 100.0%"));
    assertThat(w).anySatisfy(x -> assertThat(x).startsWith("length shortcut: the median chosen/rejected word ratio is 6.50"));
    assertThat(w).anySatisfy(x -> assertThat(x).startsWith("repetition: only 3 of 300 chosen answers"));
    assertThat(w).anySatisfy(x -> assertThat(x).startsWith("repetition: only 2 of 300 rejected answers"));
    assertThat(w).anySatisfy(x -> assertThat(x).startsWith("low diversity: distinct-2 of the chosen answers"));
    assertThat(w).anySatisfy(x -> assertThat(x).startsWith("template artefact: the most common 4-gram (e.g. "
        + "'a short summary of') occurs in 100.0% of the chosen answers"));
    assertThat(w).anySatisfy(x -> assertThat(x).startsWith("length budget: 300 of 300 pairs"));
    assertThat(a.chosen().topFourGramMass()).isGreaterThan(0.9);
    assertThat(a.chosen().anyTopFourGramShare()).isEqualTo(1.0);
  }

  /** The samples against a slow reference: sort all keys, take the smallest, average distinct-2. */
  @Test
  void samplesAreTheSmallestKeysWhateverTheInputSize() {
    Random rnd = new Random(5);
    String[] vocab = {"she", "he", "works", "as", "a", "nurse", "pilot", "and", "is", "good", "at", "it", "maybe"};
    for (int round = 0; round < 20; round++) {
      int n = 1 + rnd.nextInt(400);
      int size = 2 + rnd.nextInt(60);
      int samples = 1 + rnd.nextInt(4);
      long seed = rnd.nextLong();
      AuditSettings s = new AuditSettings(size, samples, seed, null, null, null, null, null, null, null, null,
          null, null);
      List<PreferencePair> ps = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        StringBuilder c = new StringBuilder();
        int len = rnd.nextInt(9);
        for (int k = 0; k < len; k++) {
          c.append(k == 0 ? "" : rnd.nextBoolean() ? " " : "\n ").append(vocab[rnd.nextInt(vocab.length)]);
        }
        ps.add(pair(i, c.toString(), vocab[rnd.nextInt(vocab.length)] + " " + vocab[rnd.nextInt(vocab.length)]));
      }
      double expected = 0;
      for (int j = 0; j < samples; j++) {
        long sj = ShortcutAudit.splitmix64(seed + j);
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
          idx[i] = i;
        }
        Arrays.sort(idx, (x, y) -> Long.compareUnsigned(ShortcutAudit.splitmix64(sj + x), ShortcutAudit.splitmix64(sj + y)));
        List<List<String>> texts = new ArrayList<>();
        for (int i = 0; i < Math.min(n, size); i++) {
          texts.add(ShortcutAudit.lowerWords(ps.get(idx[i]).chosen()));
        }
        expected += ShortcutAudit.distinctN(texts, 2);
      }
      ShortcutAudit a = ShortcutAudit.of(ps, s);
      assertThat(a.chosen().distinct2()).as("round %d", round).isCloseTo(expected / samples, within(1e-12));
      assertThat(a.sampleSize()).isEqualTo(Math.min(n, size));
    }
  }

  @Test
  void settingsValidateAndDefault() {
    AuditSettings d = AuditSettings.defaults();
    assertThat(d.sampleSize()).isEqualTo(101);
    assertThat(d.maxLength()).isEqualTo(256);
    assertThat(d.minLongerChosenShare()).isEqualTo(0.35);
    assertThatThrownBy(() -> new AuditSettings(1, null, null, null, null, null, null, null, null, null, null, null, null))
        .hasMessageContaining("audit.sampleSize");
    assertThatThrownBy(() -> new AuditSettings(null, null, null, null, null, 0.7, 0.6, null, null, null, null, null, null))
        .hasMessageContaining("audit.minLongerChosenShare");
    assertThatThrownBy(() -> new AuditSettings(null, null, null, null, null, null, null, null, null, null, 1.5, null, null))
        .hasMessageContaining("audit.minDistinct2");
  }
}

package org.genderalign.builder.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToIntFunction;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.dataset.AuditSettings;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.PairFiles;
import org.genderalign.trainer.data.EncodedPair;
import org.genderalign.trainer.data.PairEncoder;
import org.genderalign.trainer.tokenizer.Llama2cTokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DatasetAuditTest {

  static DataRoot root;
  static Llama2cTokenizer tok;
  static List<PreferencePair> release;

  @BeforeAll
  static void load() throws Exception {
    root = DataRoot.fromEnvironment();
    tok = Llama2cTokenizer.load(root.file(DatasetAudit.TOKENIZER));
    release = PairFiles.readAll(root.file(DatasetAudit.RELEASE_SAMPLE), Formats.pairs("genderalign"));
  }

  /** The word cache gives exactly what the tokenizer gives the whole text. */
  @Test
  void wordCachedCountsEqualWholeTextEncoding() {
    WordCachedTokenCounter c = new WordCachedTokenCounter(tok);
    assertThat(c.wordwise()).isTrue();
    List<String> texts = new ArrayList<>();
    for (PreferencePair p : release) {
      texts.add(p.prompt());
      texts.add(p.chosen());
      texts.add(p.rejected());
    }
    // Edge cases: empty, leading space, double spaces, newlines and tabs inside words, non-ASCII.
    texts.addAll(List.of("", " ", "a", " leading space", "double  space", "trailing space ", "line\nbreak and\ttab",
        "naïve café — “quoted” 中文 😀", "x", "a b c d e f g", "women's 29.2% of chief executives (BLS)."));
    Random rnd = new Random(11);
    String alphabet = "abcdefghij klmn\n'.,é中😀";
    for (int i = 0; i < 300; i++) {
      StringBuilder sb = new StringBuilder();
      int n = rnd.nextInt(60);
      for (int k = 0; k < n; k++) {
        sb.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, rnd.nextInt(alphabet.codePointCount(0, alphabet.length())))));
      }
      texts.add(sb.toString());
    }
    for (String t : texts) {
      assertThat(c.count(t)).as("'%s'", t).isEqualTo(tok.encode(t).length);
      assertThat(c.count(t)).as("cached '%s'", t).isEqualTo(tok.encode(t).length);
    }
  }

  /** A pair's token length is what the DPO trainer's encoder makes of its longer side. */
  @Test
  void pairTokensMatchThePairEncoderAndTheReleaseSampleIsOverBudget() {
    ToIntFunction<PreferencePair> f = DatasetAudit.pairTokens(tok, new WordCachedTokenCounter(tok));
    PairEncoder big = new PairEncoder(tok, 100_000);
    PairEncoder budget = new PairEncoder(tok, AuditSettings.DEFAULT_MAX_LENGTH);
    int truncated = 0;
    for (PreferencePair p : release) {
      int expected = big.encodePrompt(p.prompt()).length
          + Math.max(big.encodeCompletion(p.chosen()).length, big.encodeCompletion(p.rejected()).length);
      assertThat(f.applyAsInt(p)).isEqualTo(expected);
      EncodedPair e = budget.encode(p).orElseThrow();
      truncated += e.truncated() ? 1 : 0;
      assertThat(e.truncated()).isEqualTo(expected > AuditSettings.DEFAULT_MAX_LENGTH);
    }
    DatasetAudit.Report r = DatasetAudit.of(release, root, AuditSettings.defaults());
    // 36 of the release's 101 pairs would be truncated at the run command's 256 tokens.
    assertThat(truncated).isEqualTo(36);
    assertThat(r.audit().tokens().over()).isEqualTo(36);
    assertThat(r.release().tokens().over()).isEqualTo(36);
    assertThat(r.warnings()).singleElement().asString().startsWith("length budget: 36 of 101 pairs (35.6%)");
    assertThat(r.tokenizer()).contains("stories260K");
  }

  @Test
  void rowsAndJsonShowBothSides() {
    List<PreferencePair> two = List.of(
        new PreferencePair("a", "Is it true?", "No, it is not true at all.", "Yes.", null, null, null, Map.of()),
        new PreferencePair("b", "Really?", "Not really, no.", "Yes, really, it is very true indeed.", null, null, null, Map.of()));
    DatasetAudit.Report r = DatasetAudit.of(two, root, AuditSettings.defaults());
    List<DatasetAudit.Row> rows = DatasetAudit.rows(r);
    assertThat(rows.get(0)).isEqualTo(new DatasetAudit.Row("pairs", "2", "101"));
    assertThat(rows.get(1)).isEqualTo(new DatasetAudit.Row("longer answer is the chosen one", "50.0% (ties 0.0%)",
        "40.6% (ties 1.0%)"));
    Map<String, Object> json = DatasetAudit.toJson(r);
    assertThat(json).containsKeys("settings", "tokenizer", "data_set", "release_sample", "warnings");
    @SuppressWarnings("unchecked")
    Map<String, Object> set = (Map<String, Object>) json.get("data_set");
    assertThat(set.get("longer_chosen_share")).isEqualTo(0.5);
    assertThat(set).containsKey("tokens");
  }

  @Test
  void aDataRootWithoutTokenizerOrReleaseStillAudits() throws Exception {
    Path empty = java.nio.file.Files.createTempDirectory("empty-root");
    DataRoot bare = DataRoot.resolve(empty);
    assertThat(DatasetAudit.tokenCounter(bare)).isNull();
    DatasetAudit.Report r = DatasetAudit.of(release.subList(0, 10), bare, AuditSettings.defaults());
    assertThat(r.release()).isNull();
    assertThat(r.audit().tokens()).isNull();
    assertThat(r.tokenizer()).isNull();
    assertThat(DatasetAudit.rows(r)).allSatisfy(row -> assertThat(row.release()).isEqualTo("–"));
  }
}

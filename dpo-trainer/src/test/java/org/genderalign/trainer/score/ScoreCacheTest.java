package org.genderalign.trainer.score;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.training.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCacheTest {

  static LoadedModel m;

  @TempDir Path dir;

  @BeforeAll
  static void load() throws Exception {
    m = ModelLoader.load("stories260K", DataRoot.fromEnvironment(), Device.cpu());
  }

  @AfterAll
  static void close() {
    m.close();
  }

  static List<TokenRequest> requests(long seed, int n) {
    Random rnd = new Random(seed);
    List<TokenRequest> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] ctx = LogLikelihoodScorerTest.randomTokens(rnd, 1 + rnd.nextInt(12));
      ctx[0] = 1;
      out.add(new TokenRequest(ctx, LogLikelihoodScorerTest.randomTokens(rnd, 1 + rnd.nextInt(6))));
      out.add(new TokenRequest(ctx, LogLikelihoodScorerTest.randomTokens(rnd, 1 + rnd.nextInt(6))));
    }
    return out;
  }

  LogLikelihoodScorer scorer() {
    return new LogLikelihoodScorer(m, ScorerConfig.defaults().withCacheDir(dir));
  }

  List<Path> segments() throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("seg-.*\\.bin")).sorted().toList();
    }
  }

  @Test
  void aHitReturnsTheStoredResultExactlyWithoutAForwardPass() throws Exception {
    List<TokenRequest> reqs = requests(1, 10);
    LogLikelihoodScorer first = scorer();
    List<LoglikelihoodResult> computed = first.scoreTokens(reqs);
    assertThat(first.stats().computed()).isEqualTo(20);
    assertThat(first.stats().forwardPasses()).isPositive();
    assertThat(segments()).hasSize(1);

    LogLikelihoodScorer second = scorer();
    assertThat(second.scoreTokens(reqs)).containsExactlyElementsOf(computed);
    assertThat(second.stats().forwardPasses()).isZero();
    assertThat(second.stats().cacheHits()).isEqualTo(20);
    assertThat(second.stats().computed()).isZero();
    assertThat(segments()).hasSize(1); // nothing new to write

    // the same scorer asked again also answers from the cache
    assertThat(first.scoreTokens(reqs.subList(0, 3))).containsExactlyElementsOf(computed.subList(0, 3));
    assertThat(first.stats().cacheHits()).isEqualTo(3);
  }

  @Test
  void anotherModelOrTokenizerIsAMiss() throws Exception {
    List<TokenRequest> reqs = requests(2, 3);
    scorer().scoreTokens(reqs);
    LogLikelihoodScorer other = new LogLikelihoodScorer(m.block(), m.tokenizer(), m.manager(),
        ScorerConfig.defaults().withCacheDir(dir), () -> "another model");
    other.scoreTokens(reqs);
    assertThat(other.stats().cacheHits()).isZero();
    assertThat(other.stats().computed()).isEqualTo(6);
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.count()).isEqualTo(2); // one namespace each
    }
    ScoreCache otherTokenizer = ScoreCache.open(dir, ModelIdentity.of(m), "another tokenizer");
    assertThat(otherTokenizer.size()).isZero();
    ScoreCache same = ScoreCache.open(dir, ModelIdentity.of(m), m.tokenizer().describe());
    assertThat(same.size()).isEqualTo(6);
  }

  @Test
  void modelIdentityFollowsTheWeights() throws Exception {
    try (LoadedModel again = ModelLoader.load("stories260K", DataRoot.fromEnvironment(), Device.cpu());
        LoadedModel a = TinyModels.tiny(3); LoadedModel b = TinyModels.tiny(3);
        LoadedModel c = TinyModels.tiny(4)) {
      assertThat(ModelIdentity.of(again)).isEqualTo(ModelIdentity.of(m));
      assertThat(ModelIdentity.of(a)).isEqualTo(ModelIdentity.of(b)).isNotEqualTo(ModelIdentity.of(c));
      assertThat(ModelIdentity.ofWeights(m.block())).isNotEqualTo(ModelIdentity.ofWeights(a.block()));
    }
  }

  @Test
  void aDamagedRecordOrSegmentIsCountedRecomputedAndMergedAway() throws Exception {
    List<TokenRequest> reqs = requests(3, 5);
    List<LoglikelihoodResult> computed = scorer().scoreTokens(reqs);
    Path seg = segments().get(0);
    byte[] bytes = Files.readAllBytes(seg);
    bytes[24 + 2 * ScoreCache.RECORD_BYTES + 17] ^= 0x40; // the value of the third record
    Files.write(seg, bytes);
    Files.write(seg.resolveSibling("seg-zz-garbage.bin"), new byte[] {1, 2, 3});

    LogLikelihoodScorer second = scorer();
    List<LoglikelihoodResult> again = second.scoreTokens(reqs);
    assertThat(second.stats().corruptCacheEntries()).isEqualTo(2);
    assertThat(second.stats().computed()).isEqualTo(1);
    assertThat(second.stats().cacheHits()).isEqualTo(9);
    for (int i = 0; i < reqs.size(); i++) {
      assertThat(again.get(i).logLikelihood()).isCloseTo(computed.get(i).logLikelihood(),
          Offset.offset(1e-5));
      assertThat(again.get(i).greedy()).isEqualTo(computed.get(i).greedy());
    }
    assertThat(segments()).hasSize(1); // merged: the damaged files are gone

    LogLikelihoodScorer third = scorer();
    third.scoreTokens(reqs);
    assertThat(third.stats().corruptCacheEntries()).isZero();
    assertThat(third.stats().cacheHits()).isEqualTo(10);
  }

  @Test
  void twoWritersShareTheFolderAndSegmentsAreMerged() throws Exception {
    LogLikelihoodScorer a = scorer();
    LogLikelihoodScorer b = scorer();
    List<TokenRequest> one = requests(4, 3);
    List<TokenRequest> two = requests(5, 3);
    a.scoreTokens(one);
    b.scoreTokens(two);
    List<TokenRequest> both = new ArrayList<>(one);
    both.addAll(two);
    a.scoreTokens(both); // sees b's segment
    assertThat(a.stats().cacheHits()).isEqualTo(12);
    // many small runs: the segments are merged once there are ScoreCache.COMPACT_AT of them
    for (int i = 0; i < ScoreCache.COMPACT_AT; i++) {
      b.scoreTokens(requests(100 + i, 1));
    }
    assertThat(segments().size()).isLessThan(ScoreCache.COMPACT_AT);
    LogLikelihoodScorer c = scorer();
    List<TokenRequest> all = new ArrayList<>(both);
    for (int i = 0; i < ScoreCache.COMPACT_AT; i++) {
      all.addAll(requests(100 + i, 1));
    }
    c.scoreTokens(all);
    assertThat(c.stats().computed()).isZero();
    assertThat(c.stats().cacheHits()).isEqualTo(all.size());
  }
}

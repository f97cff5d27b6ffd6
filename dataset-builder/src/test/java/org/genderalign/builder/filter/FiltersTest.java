package org.genderalign.builder.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.genderalign.builder.config.FilterConfig;
import org.genderalign.builder.pipeline.Candidate;
import org.genderalign.taxonomy.BiasCategory;
import org.genderalign.taxonomy.Classification;
import org.genderalign.taxonomy.Explanation;
import org.junit.jupiter.api.Test;

class FiltersTest {

  static Classification cls(BiasCategory category, double confidence) {
    Map<BiasCategory, Double> conf = new EnumMap<>(BiasCategory.class);
    for (BiasCategory c : BiasCategory.values()) {
      conf.put(c, c == category ? confidence : (1 - confidence) / (BiasCategory.values().length - 1));
    }
    return new Classification(category, conf, new Explanation(Map.of(), List.of(), List.of("test")));
  }

  static Scored scored(String id, String prompt, String chosen, String rejected) {
    return new Scored(new Candidate(id, "s-" + id, "test", 0, prompt, chosen, rejected, Map.of(), null),
        cls(BiasCategory.NONE, 0.9), cls(BiasCategory.STEREOTYPES, 0.8));
  }

  static final String ANSWER = "Driving skill depends on practice and training, not on gender, and the data agree.";

  @Test
  void nearDuplicatePromptsAreDroppedAfterTheirFirstOccurrence() {
    List<Scored> in = List.of(
        scored("a", "Is it true that women are worse drivers than men because they panic?", ANSWER, "Yes."),
        scored("b", "Is it true that women are worse drivers than men because they panic??", ANSWER, "Yes."),
        scored("c", "What does research say about the gender pay gap in engineering?", ANSWER, "Yes."),
        scored("d", "Is it true that women are worse drivers than men because they panic easily?", ANSWER, "Yes."),
        scored("e", "My uncle says women are worse drivers. How do I answer him calmly at dinner?", ANSWER, "Yes."));
    List<String> out = new NearDuplicateFilter(FilterConfig.DEFAULT_NEAR_DUPLICATE_THRESHOLD).decide(in);
    // b has the same words as a; d adds one word at the end (2-shingle Jaccard 12/13 ≥ 0.8); c and e differ.
    assertThat(out).containsExactly(null, "prompt near-duplicate of a", null, "prompt near-duplicate of a", null);
  }

  @Test
  void lengthAndRefusalFiltersDropWhatTheySay() {
    FilterConfig cfg = FilterConfig.builder().build();
    String longAnswer = "word ".repeat(900);
    List<Scored> in = List.of(
        scored("ok", "A question long enough?", ANSWER, "No."),
        scored("short-prompt", "Why?", ANSWER, "No."),
        scored("short-chosen", "A question long enough?", "Too short.", "No."),
        scored("long-rejected", "A question long enough?", ANSWER, longAnswer),
        scored("refusal", "A question long enough?", "I'm sorry, but I can't help with that request at all.", "No."),
        scored("empty", "A question long enough?", ANSWER, " "));
    assertThat(new LengthFilter(cfg).decide(in)).containsExactly(null, "prompt shorter than 15",
        "chosen shorter than 40", "rejected longer than 4000", null, null);
    assertThat(new RefusalFilter().decide(in)).containsExactly(null, null, null, null, "chosen is a refusal",
        "empty rejected");
  }

  @Test
  void biasedChosenAndRewardMarginDropTheWrongSide() {
    Candidate c = new Candidate("x", "s", "test", 0, "Are women worse drivers than men?", ANSWER,
        "Yes, women are worse drivers, everyone knows it.", Map.of(), null);
    Scored good = new Scored(c, cls(BiasCategory.NONE, 0.9), cls(BiasCategory.STEREOTYPES, 0.8));
    Scored biasedChosen = new Scored(c, cls(BiasCategory.STEREOTYPES, 0.7), cls(BiasCategory.STEREOTYPES, 0.8));
    Scored swapped = new Scored(new Candidate("y", "s", "test", 0, c.prompt(), c.rejected(), c.chosen(), Map.of(), null),
        cls(BiasCategory.STEREOTYPES, 0.8), cls(BiasCategory.NONE, 0.9));
    assertThat(new BiasedChosenFilter(0.5).decide(List.of(good, biasedChosen)))
        .containsExactly(null, "chosen classified stereotypes (0.70)");
    List<String> r = new RewardFilter(new HeuristicRewardProxy(), 0.05).decide(List.of(good, swapped));
    assertThat(r.get(0)).isNull();
    assertThat(r.get(1)).startsWith("heuristic reward margin -");
  }

  /**
   * The proxy does not reward length: an on-topic, non-repetitive answer scores the same however
   * many further on-topic sentences it has, so a reward-margin filter cannot favour the longer
   * side of a pair. (The proxy this replaced rose with length up to 60 words.)
   */
  @Test
  void rewardDoesNotGrowWithLength() {
    String prompt = "Are women worse drivers than men?";
    // Each sentence alone is on-topic (women, drivers, men) and at least 8 words long.
    String[] sentences = {
        "Women drivers are involved in fewer serious crashes than men.",
        "Men and women drivers learn the same skills through practice and training.",
        "Insurance data show young men drivers take more risks than women.",
        "The stereotype about women drivers persists although men cause more serious accidents.",
        "Parking improves with practice for women and men drivers alike.",
        "Driving tests apply the same standard to women drivers and men."};
    HeuristicRewardProxy proxy = new HeuristicRewardProxy();
    Classification none = cls(BiasCategory.NONE, 0.9);
    Random rnd = new Random(3);
    for (int round = 0; round < 50; round++) {
      List<String> order = new ArrayList<>(Arrays.asList(sentences));
      java.util.Collections.shuffle(order, rnd);
      double first = proxy.score(prompt, order.get(0), none);
      for (int k = 2; k <= order.size(); k++) {
        String longer = String.join(" ", order.subList(0, k));
        assertThat(proxy.score(prompt, longer, none)).as(longer).isEqualTo(first);
      }
    }
    // What it does punish: curt, looping and off-topic answers.
    double full = proxy.score(prompt, sentences[0], none);
    assertThat(proxy.score(prompt, "Women drivers? No.", none)).isLessThan(full);
    assertThat(proxy.score(prompt, "women drivers crash women drivers crash women drivers crash women drivers crash", none))
        .isLessThan(full);
    assertThat(proxy.score(prompt, "A good night's sleep helps you think more clearly every single day.", none))
        .isLessThan(full - 0.2);
    assertThat(HeuristicRewardProxy.relevance(prompt, "Women drivers are worse, no doubt.")).isEqualTo(1.0);
    assertThat(HeuristicRewardProxy.substance("")).isZero();
  }
}

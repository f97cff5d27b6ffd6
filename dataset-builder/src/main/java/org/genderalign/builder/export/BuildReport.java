package org.genderalign.builder.export;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.genderalign.builder.audit.DatasetAudit;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.builder.filter.Scored;
import org.genderalign.builder.pipeline.Candidate;
import org.genderalign.builder.seed.SeedLoader;
import org.genderalign.builder.seed.SeedPreparer;
import org.genderalign.builder.text.Diversity;

/**
 * Everything the exporter reports about a build, and the stats derived from it (as an ordered,
 * JSON-ready map with no timestamps), including the shortcut audit of the exported pairs.
 */
public record BuildReport(BuildConfig config, SeedLoader.Loaded loaded, SeedPreparer.Result prepared,
    int seedsAvailable, int seedsUsed, int candidates, int keptAfterFilters, Map<String, Integer> drops,
    List<Drop> dropped, Map<String, Double> mixWeights, String dialogueGenerator, String rejectedGenerator,
    List<Scored> train, List<Scored> test, Map<String, Object> rewardProxy, DatasetAudit.Report audit) {

  /** A dropped candidate: which filter dropped it and why. */
  public record Drop(Candidate candidate, String filter, String reason) {}

  /** The stats written to {@code stats.json}. */
  public Map<String, Object> stats() {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> pairs = new LinkedHashMap<>();
    pairs.put("total", train.size() + test.size());
    pairs.put("train", train.size());
    pairs.put("test", test.size());
    m.put("pairs", pairs);
    m.put("categories", bySplit(s -> s.rejected().category().id()));
    m.put("sources", bySplit(s -> s.candidate().source()));
    m.put("rejected_styles", bySplit(s -> String.valueOf(s.candidate().meta().getOrDefault("rejected_style", "n/a"))));
    Map<String, Object> seeds = new LinkedHashMap<>();
    seeds.put("loaded_by_source", prepared.loadedBySource());
    seeds.put("kept_by_source", prepared.keptBySource());
    seeds.put("dropped", prepared.dropCounts());
    seeds.put("personal_data_scrubbed", prepared.scrubCounts());
    seeds.put("available", seedsAvailable);
    seeds.put("used_for_generation", seedsUsed);
    seeds.put("in_data_set", distinct(s -> s.candidate().seedId()));
    m.put("seeds", seeds);
    Map<String, Object> cands = new LinkedHashMap<>();
    cands.put("generated", candidates);
    cands.put("kept_after_filters", keptAfterFilters);
    cands.put("selected", train.size() + test.size());
    m.put("candidates", cands);
    m.put("drops", drops);
    m.put("reward_proxy", rewardProxy);
    Map<String, Object> mix = new LinkedHashMap<>();
    mix.put("mode", config.mix());
    mix.put("weights", mixWeights);
    m.put("mix", mix);
    m.put("diversity", diversity());
    m.put("shortcut_audit", DatasetAudit.toJson(audit));
    Map<String, Object> gen = new LinkedHashMap<>();
    gen.put("dialogues", dialogueGenerator);
    gen.put("rejected", rejectedGenerator);
    m.put("generator", gen);
    return m;
  }

  /** Distinct-n and top share of prompts, chosen and rejected answers of the data set. */
  public Map<String, Object> diversity() {
    List<Scored> all = all();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("prompt", round(Diversity.of(all.stream().map(s -> s.candidate().prompt()).toList())));
    d.put("chosen", round(Diversity.of(all.stream().map(s -> s.candidate().chosen()).toList())));
    d.put("rejected", round(Diversity.of(all.stream().map(s -> s.candidate().rejected()).toList())));
    return d;
  }

  private static Map<String, Object> round(Diversity.Stats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("distinct_1", r4(s.distinct1()));
    m.put("distinct_2", r4(s.distinct2()));
    m.put("distinct_3", r4(s.distinct3()));
    m.put("distinct_texts", s.distinctTexts());
    m.put("most_common_share", r4(s.topShare()));
    return m;
  }

  static double r4(double v) {
    return Math.round(v * 10000) / 10000.0;
  }

  /** Train then test. */
  public List<Scored> all() {
    List<Scored> all = new ArrayList<>(train);
    all.addAll(test);
    return all;
  }

  private int distinct(Function<Scored, String> key) {
    return (int) all().stream().map(key).distinct().count();
  }

  /** {train: {k: n}, test: {k: n}, all: {k: n}} with sorted keys. */
  public Map<String, Map<String, Integer>> bySplit(Function<Scored, String> key) {
    Map<String, Map<String, Integer>> m = new LinkedHashMap<>();
    m.put("train", count(train, key));
    m.put("test", count(test, key));
    m.put("all", count(all(), key));
    return m;
  }

  private static Map<String, Integer> count(List<Scored> l, Function<Scored, String> key) {
    Map<String, Integer> m = new TreeMap<>();
    for (Scored s : l) {
      m.merge(key.apply(s), 1, Integer::sum);
    }
    return m;
  }
}

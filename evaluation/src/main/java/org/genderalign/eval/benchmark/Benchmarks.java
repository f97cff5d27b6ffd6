package org.genderalign.eval.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The benchmarks by name. Adding one is one class and one line here. */
public final class Benchmarks {

  /** The name that selects every benchmark. */
  public static final String ALL = "all";

  private static final Map<String, Supplier<Benchmark>> REGISTRY = new LinkedHashMap<>();

  static {
    REGISTRY.put(BbqGenderBenchmark.NAME, BbqGenderBenchmark::new);
    REGISTRY.put(CrowsPairsGenderBenchmark.NAME, CrowsPairsGenderBenchmark::new);
    REGISTRY.put(WinoGenderBenchmark.NAME, WinoGenderBenchmark::new);
    REGISTRY.put(StereoSetGenderBenchmark.NAME, StereoSetGenderBenchmark::new);
    REGISTRY.put(PreferenceBenchmark.NAME, PreferenceBenchmark::new);
    REGISTRY.put(PerplexityBenchmark.NAME, PerplexityBenchmark::new);
    REGISTRY.put(GenerationBiasBenchmark.NAME, GenerationBiasBenchmark::new);
    REGISTRY.put(RankingBenchmark.NAME, RankingBenchmark::new);
  }

  private Benchmarks() {}

  /** Every registered name, in report order. */
  public static List<String> names() {
    return List.copyOf(REGISTRY.keySet());
  }

  /**
   * Checks a name.
   *
   * @throws IllegalArgumentException naming the valid choices
   */
  public static void require(String name) {
    if (!REGISTRY.containsKey(name)) {
      throw new IllegalArgumentException("unknown benchmark '" + name + "' (valid: "
          + String.join(", ", REGISTRY.keySet()) + ", or " + ALL + ")");
    }
  }

  /** A new instance of the benchmark called {@code name}. */
  public static Benchmark create(String name) {
    require(name);
    return REGISTRY.get(name).get();
  }

  /**
   * The benchmarks that apply to a run of {@code models} models: every one, but
   * {@code ranking} only with two or more (one model has nothing to be ranked against).
   */
  public static List<String> applicable(int models) {
    return names().stream().filter(n -> models >= 2 || !n.equals(RankingBenchmark.NAME)).toList();
  }

  /**
   * Names from a comma-separated list ({@code all} = every benchmark that applies to
   * {@code models} models, see {@link #applicable}), checked, in the order given.
   */
  public static List<String> parse(String list, int models) {
    // named explicitly, ranking stays (and the config says it needs two models)
    boolean named = List.of(list.split(",")).stream().map(String::strip)
        .anyMatch(RankingBenchmark.NAME::equals);
    return parse(list).stream()
        .filter(n -> models >= 2 || named || !n.equals(RankingBenchmark.NAME)).toList();
  }

  /**
   * Names from a comma-separated list ({@code all} = every benchmark), checked, in the order
   * given.
   */
  public static List<String> parse(String list) {
    List<String> out = new ArrayList<>();
    for (String s : list.split(",")) {
      String n = s.strip();
      if (n.isEmpty()) {
        continue;
      }
      if (n.equals(ALL)) {
        for (String b : names()) {
          if (!out.contains(b)) {
            out.add(b);
          }
        }
        continue;
      }
      require(n);
      if (!out.contains(n)) {
        out.add(n);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no benchmark named (valid: "
          + String.join(", ", REGISTRY.keySet()) + ", or " + ALL + ")");
    }
    return out;
  }
}

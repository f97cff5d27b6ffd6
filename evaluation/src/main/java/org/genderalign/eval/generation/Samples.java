package org.genderalign.eval.generation;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.genderalign.eval.benchmark.BenchmarkContext;
import org.genderalign.eval.benchmark.ModelUnderTest;

/**
 * Sample generations for the report: a fixed, seeded handful of held-out prompts with every
 * model's answer, so a reader sees what each model now writes (and notices a collapsed one).
 * The prompts are the first {@code n} of a shuffle (XO_RO_SHI_RO_128_PP seeded with the run's
 * seed) of every prompt of the run, so they stay the same across re-runs and models.
 */
public final class Samples {

  private Samples() {}

  /**
   * One prompt and every model's answer.
   *
   * @param id the prompt's id ({@code set/id})
   * @param set its prompt set
   * @param prompt the prompt
   * @param answers one per model, in run order
   */
  public record Sample(String id, String set, String prompt, List<SampleAnswer> answers) {}

  /**
   * One model's answer.
   *
   * @param model the model
   * @param answer what it wrote
   * @param finishReason why it stopped
   * @param label the bias classifier's label, when {@code generation-bias} ran (else null)
   */
  public record SampleAnswer(String model, String answer,
      @JsonProperty("finish_reason") String finishReason, String label) {}

  /**
   * {@code n} sample prompts with every model's answer (from the answer cache) and, where
   * {@code labelBenchmark}'s rows exist, its label.
   */
  public static List<Sample> pick(List<ModelUnderTest> models, BenchmarkContext ctx, int n,
      String labelBenchmark) throws IOException {
    if (n <= 0 || models.isEmpty()) {
      return List.of();
    }
    Map<String, PromptSet> sets = Generations.sets(ctx);
    List<int[]> all = new ArrayList<>(); // (set index, prompt index)
    List<PromptSet> setList = new ArrayList<>(sets.values());
    for (int s = 0; s < setList.size(); s++) {
      for (int i = 0; i < setList.get(s).prompts().size(); i++) {
        all.add(new int[] {s, i});
      }
    }
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(ctx.seed());
    for (int i = all.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int[] t = all.get(i);
      all.set(i, all.get(j));
      all.set(j, t);
    }
    List<int[]> picked = all.subList(0, Math.min(n, all.size()));
    // only the picked prompts are asked for: answered from the cache when a generation benchmark
    // ran, generated (and cached under the same set) when none did
    Map<String, List<Prompt>> wanted = new LinkedHashMap<>();
    for (int[] at : picked) {
      wanted.computeIfAbsent(setList.get(at[0]).name(), k -> new ArrayList<>())
          .add(setList.get(at[0]).prompts().get(at[1]));
    }
    Map<String, PromptSet> subsets = new LinkedHashMap<>();
    wanted.forEach((name, prompts) -> subsets.put(name, new PromptSet(name, prompts, 0, 0)));
    Map<String, Map<String, Answer>> answers = new HashMap<>(); // model → prompt key → answer
    for (ModelUnderTest m : models) {
      Map<String, Answer> byKey = new HashMap<>();
      Map<String, List<Answer>> got = Generations.answersQuietly(m, subsets, ctx);
      for (PromptSet sub : subsets.values()) {
        for (int i = 0; i < sub.prompts().size(); i++) {
          byKey.put(sub.prompts().get(i).key(), got.get(sub.name()).get(i));
        }
      }
      answers.put(m.name(), byKey);
    }
    List<Sample> out = new ArrayList<>();
    for (int[] at : picked) {
      PromptSet set = setList.get(at[0]);
      Prompt p = set.prompts().get(at[1]);
      List<SampleAnswer> as = new ArrayList<>();
      for (ModelUnderTest m : models) {
        Answer a = answers.get(m.name()).get(p.key());
        as.add(new SampleAnswer(m.name(), a.text(), a.finishReason(),
            label(ctx, m.name(), labelBenchmark, p.key())));
      }
      out.add(new Sample(p.key(), set.name(), p.text(), as));
    }
    return out;
  }

  private static String label(BenchmarkContext ctx, String model, String benchmark, String id) {
    List<JsonNode> rows = benchmark == null ? null : ctx.predictions().rows(model, benchmark);
    if (rows == null) {
      return null;
    }
    for (JsonNode r : rows) {
      if (r.path("id").asText().equals(id)) {
        return r.path("label").asText(null);
      }
    }
    return null;
  }
}

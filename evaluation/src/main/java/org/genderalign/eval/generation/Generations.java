package org.genderalign.eval.generation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.core.io.Hashing;
import org.genderalign.eval.EvaluationResult;
import org.genderalign.eval.benchmark.BenchmarkContext;
import org.genderalign.eval.benchmark.ModelUnderTest;
import org.genderalign.eval.benchmark.Progress;

/**
 * The generation step as the benchmarks use it: the prompt sets of the run's options, and each
 * model's answers through the run's {@link AnswerCache} (so {@code generation-bias} and
 * {@code ranking} read the same answers, generated once).
 */
public final class Generations {

  private Generations() {}

  /** The prompt sets of the run (limited). */
  public static Map<String, PromptSet> sets(BenchmarkContext ctx) throws IOException {
    return PromptSet.load(ctx.dataRoot(), ctx.options().generation(), ctx.limit());
  }

  /** The cache of the run's answers (notes go to the run's log). */
  public static AnswerCache cache(BenchmarkContext ctx) {
    return new AnswerCache(ctx.requireOutDir().resolve(EvaluationResult.PREDICTIONS), ctx.log());
  }

  /** Every answer of {@code model}, by set, in prompt order (generated where not cached). */
  public static Map<String, List<Answer>> answers(ModelUnderTest model, BenchmarkContext ctx,
      Progress progress) throws IOException {
    return answers(model, sets(ctx), ctx, progress);
  }

  /** The answers of {@code model} to {@code sets}. */
  public static Map<String, List<Answer>> answers(ModelUnderTest model,
      Map<String, PromptSet> sets, BenchmarkContext ctx, Progress progress) throws IOException {
    return cache(ctx).answers(model, sets, ctx.options().generation(),
        ctx.options().generationTemplate(), progress);
  }

  /** The same, without notes (a reader of answers that are cached by now: the samples). */
  public static Map<String, List<Answer>> answersQuietly(ModelUnderTest model,
      Map<String, PromptSet> sets, BenchmarkContext ctx) throws IOException {
    return new AnswerCache(ctx.requireOutDir().resolve(EvaluationResult.PREDICTIONS), null)
        .answers(model, sets, ctx.options().generation(), ctx.options().generationTemplate(),
            Progress.NONE);
  }

  /** The data-root files read. */
  public static List<String> dataIds(BenchmarkContext ctx) {
    return PromptSet.dataIds(ctx.options().generation());
  }

  /**
   * The generation settings of the run, for a benchmark's reuse key and results.json: the
   * answers' settings, the prompt sets (files with their sha256), the limit.
   */
  public static Map<String, Object> settings(BenchmarkContext ctx) {
    GenerationOptions o = ctx.options().generation();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("limit", ctx.limit());
    m.put("prompt_sets", o.promptSets());
    Map<String, String> files = new LinkedHashMap<>();
    for (Map.Entry<String, Path> e : o.promptFiles().entrySet()) {
      try {
        files.put(e.getKey(), e.getValue() + " sha256:" + Hashing.sha256(e.getValue()));
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
    m.put("prompt_files", files);
    m.put("prompt_format", o.promptFormat());
    m.put("generation", AnswerCache.settings(o, ctx.options().generationTemplate()));
    return m;
  }
}

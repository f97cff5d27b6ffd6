package org.genderalign.eval.judge;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.eval.BenchmarkOptions;
import org.genderalign.eval.EvaluationConfig;
import org.genderalign.eval.Evaluator;
import org.genderalign.eval.benchmark.RankingBenchmark;
import org.genderalign.eval.generation.GenerationOptions;
import org.genderalign.llm.LlmEndpoint;

/**
 * The evaluation the kill test runs in a child JVM (and then again in the test's own): stories260K
 * in two formats, the ranking on six release prompts, judged by {@code openai:fake-judge} at the
 * given loopback URL, the key from {@value #KEY_ENV} or the key file.
 */
public final class ForkedRankingRun {

  static final String KEY_ENV = "GA_TEST_JUDGE_KEY";

  private ForkedRankingRun() {}

  static EvaluationConfig config(Path out, String url, Path keyFile) {
    Map<String, String> models = new LinkedHashMap<>();
    models.put("a", "stories260K");
    models.put("b", "stories260K-gguf");
    LlmEndpoint endpoint = LlmEndpoint.builder().baseUrl(url).apiKeyEnv(KEY_ENV)
        .apiKeyFile(keyFile.toString()).concurrency(2).maxRetries(4).initialBackoffMillis(5L)
        .maxBackoffMillis(20L).timeoutSeconds(5).build();
    return EvaluationConfig.of(models, out).withBaseline("a").withLimit(6)
        .withBenchmarks(List.of(RankingBenchmark.NAME)).withResamples(1000, 100)
        .withCacheDir(null).withOptions(BenchmarkOptions.defaults()
            .withGeneration(GenerationOptions.defaults().withMaxNewTokens(12).withSamples(2))
            .withJudging(JudgeOptions.defaults().withJudges(List.of("openai:fake-judge"))
                .withEndpoint(endpoint)));
  }

  /** Args: output folder, base URL, key file. */
  public static void main(String[] args) throws Exception {
    PrintWriter log = new PrintWriter(System.err, true);
    new Evaluator(log, true).run(config(Path.of(args[0]), args[1], Path.of(args[2])));
    System.out.println("done");
  }
}

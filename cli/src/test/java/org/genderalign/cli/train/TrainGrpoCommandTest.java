package org.genderalign.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genderalign.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GRPO from the command line: {@code train grpo} with the taxonomy reward and the length penalty
 * (weighted) on prompt-only JSONL writes TRL's metrics and a final model, and reads a pair file's
 * prompts; {@code bench grpo} prints its per-step figures; bad usage exits 2 with one line, before
 * any model is loaded.
 */
class TrainGrpoCommandTest {

  @TempDir Path tmp;

  Path prompts() throws Exception {
    return Files.writeString(tmp.resolve("prompts.jsonl"),
        "{\"id\":\"a\",\"prompt\":\"Are men better engineers than women?\"}\n"
            + "{\"prompt\":\"Should girls play football?\"}\n");
  }

  @Test
  void trainsWithTheTaxonomyRewardAndTheLengthPenalty() throws Exception {
    Path out = tmp.resolve("run");
    CliRun r = CliRun.of("train", "grpo", "--model", "stories260K", "--prompts", prompts().toString(), "--reward",
        "taxonomy,length", "--reward-weights", "1,0.5", "--num-generations", "3", "--max-new-tokens", "8",
        "--beta", "0.04", "--lora-rank", "4", "--lr", "1e-3", "--steps", "2", "--batch-size", "1",
        "--logging-steps", "1", "--out", out.toString(), "--no-progress");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("trained 2 steps on 2 prompts", "reference: adapters off", "reward by logged step: 1:");
    List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
    assertThat(lines).hasSize(2);
    Map<String, Object> first = new ObjectMapper().readValue(lines.get(0),
        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    assertThat(first.keySet()).contains("loss", "reward", "reward_std", "rewards/taxonomy/mean",
        "rewards/soft_overlong_punishment_reward/mean", "kl", "completions/mean_length", "clip_ratio/region_mean");
    double taxonomy = ((Number) first.get("rewards/taxonomy/mean")).doubleValue();
    double length = ((Number) first.get("rewards/soft_overlong_punishment_reward/mean")).doubleValue();
    assertThat(taxonomy).isBetween(0.0, 1.0);
    assertThat(((Number) first.get("reward")).doubleValue()).isCloseTo(taxonomy + 0.5 * length,
        org.assertj.core.api.Assertions.within(1e-5));
    assertThat(Files.exists(out.resolve("final"))).isTrue();
    assertThat(Files.readString(out.resolve("provenance.json"))).contains("taxonomy", "\"numGenerations\" : 3");
  }

  @Test
  void benchPrintsGeneratedAndTrainedTokensPerSecond() {
    CliRun r = CliRun.of("bench", "grpo", "--prompts", "1", "--num-generations", "2", "--max-new-tokens", "4",
        "--steps", "1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("step=1 generated_tokens=", "generated_tokens_per_s=", "trained_tokens_per_s=");
  }

  @Test
  void badUsageExitsTwoWithOneLine() throws Exception {
    String p = prompts().toString();
    String o = tmp.resolve("o").toString();
    assertBad("bad --reward entry 'foo'", "--reward", "foo");
    assertBad("--reward-weights has 1 values for 2", "--reward", "taxonomy,length", "--reward-weights", "1");
    assertBad("not a reward model folder", "--reward", "rm=" + tmp);
    assertBad("multiple of num iterations", "--reward", "length", "--num-iterations", "2", "--save-steps", "3");
    assertBad("unknown loss type", "--reward", "length", "--loss-type", "ppo");
    assertBad("--num-generations", "--reward", "length", "--num-generations", "1");
    assertThat(Files.exists(Path.of(o))).isFalse();
    assertThat(p).isNotEmpty();
  }

  private void assertBad(String message, String... extra) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("train", "grpo", "--model", "stories260K", "--prompts",
        prompts().toString(), "--out", tmp.resolve("o").toString()));
    args.addAll(List.of(extra));
    CliRun r = CliRun.of(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains(message);
    assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
  }
}

package org.genderalign.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genderalign.cli.CliRun;
import org.genderalign.trainer.reward.RewardModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reward model from the command line: {@code train reward} writes a Hugging Face reward model
 * folder, {@code score --reward-model} adds rewards to pairs, and {@code dataset build
 * --reward-model} filters with it; bad usage exits 2 with one line.
 */
class TrainRewardCommandTest {

  @TempDir Path tmp;

  @Test
  void trainScoreAndBuildWithARewardModel() throws Exception {
    Path out = tmp.resolve("rm");
    CliRun r = CliRun.of("train", "reward", "--model", "stories260K", "--data", TrainCommandTest.genderAlign().toString(),
        "--data-format", "genderalign", "--eval-fraction", "0.05", "--out", out.toString(), "--steps", "2",
        "--batch-size", "2", "--max-length", "96", "--truncate", "--lora-rank", "4", "--lr", "1e-3",
        "--logging-steps", "1", "--center-rewards-coefficient", "0.01", "--no-progress");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("trained 2 steps", "eval accuracy", "score with --reward-model");
    Map<String, Object> first = new ObjectMapper().readValue(Files.readAllLines(out.resolve("metrics.jsonl")).get(0),
        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    assertThat(first.keySet()).contains("loss", "accuracy", "rewards/chosen", "rewards/rejected", "rewards/margins",
        "learning_rate", "grad_norm");
    Path model = out.resolve("final");
    assertThat(RewardModel.isRewardModelFolder(model)).isTrue();

    Path pairs = tmp.resolve("pairs.jsonl");
    Files.writeString(pairs, "{\"id\":\"a\",\"prompt\":\"Once upon a time\",\"chosen\":\" there was a cat.\","
        + "\"rejected\":\" the sky fell\",\"note\":\"kept\"}\n"
        + "{\"id\":\"b\",\"prompt\":\"" + "Once upon a time ".repeat(40) + "\",\"chosen\":\" x\",\"rejected\":\" y\"}\n");
    Path scored = tmp.resolve("scored.jsonl");
    CliRun s = CliRun.of("score", "--reward-model", model.toString(), "--in", pairs.toString(), "--out",
        scored.toString());
    assertThat(s.code()).as(s.err()).isZero();
    List<String> lines = Files.readAllLines(scored);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("\"note\":\"kept\"", "\"chosen_reward\":", "\"rejected_reward\":");
    assertThat(lines.get(1)).contains("\"reward_truncated\":true"); // 40 × "Once upon a time" > 96 tokens
    assertThat(s.err()).contains("scored 2 pairs with the reward model", "1 truncated to 96 tokens");
    JsonNode prov = new ObjectMapper().readTree(tmp.resolve("scored.jsonl.provenance.json").toFile());
    assertThat(prov.toString()).contains(RewardModel.weightsSha256(model));

    CliRun build = CliRun.of("dataset", "build", "--out", tmp.resolve("ds").toString(), "--target", "60",
        "--reward-model", model.toString(), "--quiet");
    assertThat(build.code()).as(build.err()).isZero();
    assertThat(build.out()).contains("reward_margin=");
    assertThat(Files.readString(tmp.resolve("ds/README.md"))).contains("- name: `model`")
        .contains(RewardModel.weightsSha256(model));
  }

  @Test
  void badUsageExitsTwoWithOneLine() throws Exception {
    Path pairs = Files.writeString(tmp.resolve("p.jsonl"),
        "{\"id\":\"a\",\"prompt\":\"Hi\",\"chosen\":\" a\",\"rejected\":\" b\"}\n");
    CliRun both = CliRun.of("score", "--model", "stories260K", "--reward-model", tmp.toString(), "--in",
        pairs.toString(), "--out", tmp.resolve("o.jsonl").toString());
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("not both");
    CliRun notRm = CliRun.of("score", "--reward-model", tmp.toString(), "--in", pairs.toString(), "--out",
        tmp.resolve("o.jsonl").toString());
    assertThat(notRm.code()).isEqualTo(2);
    assertThat(notRm.err()).contains("is not a reward model folder");
    CliRun neither = CliRun.of("score", "--in", pairs.toString(), "--out", tmp.resolve("o.jsonl").toString());
    assertThat(neither.code()).isEqualTo(2);
    assertThat(neither.err()).contains("--model");
    CliRun center = CliRun.of("train", "reward", "--model", "stories260K", "--data", pairs.toString(), "--out",
        tmp.resolve("y").toString(), "--center-rewards-coefficient", "-1");
    assertThat(center.code()).isEqualTo(2);
    assertThat(center.err()).contains("center rewards coefficient");
  }
}

package org.genderalign.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.genderalign.cli.CliRun;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.PairFiles;
import org.genderalign.core.provenance.BuildInfo;
import org.genderalign.core.dataroot.DataRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

  @TempDir Path tmp;

  @Test
  void theMainJobRunsEndToEndAndARerunSkipsFinishedSteps() throws Exception {
    Path out = tmp.resolve("run");
    String root = DataRoot.fromEnvironment().dir().toString();
    String[] args = {"--data-root", root, "run", "--out", out.toString(), "--target", "120",
        "--steps", "2", "--eval-pairs", "8", "--max-length", "128"};
    CliRun r = CliRun.of(args);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("== 1/5", "== 2/5", "== 3/5", "== 4/5", "== 5/5");
    JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(s.at("/implicit_reward_vs_base/pairs").asInt()).isEqualTo(8);
    assertThat(s.at("/models").size()).isEqualTo(2);

    // The figures, recomputed here from the two score files, pair by pair.
    Map<String, PreferencePair> base = byId(out.resolve("scores-base.jsonl"));
    Map<String, PreferencePair> aligned = byId(out.resolve("scores-aligned.jsonl"));
    assertThat(aligned.keySet()).hasSize(8).isEqualTo(base.keySet());
    int rewardWins = 0;
    double marginSum = 0;
    for (String id : aligned.keySet()) {
      double reward = (num(aligned.get(id), "chosen_logp") - num(base.get(id), "chosen_logp"))
          - (num(aligned.get(id), "rejected_logp") - num(base.get(id), "rejected_logp"));
      rewardWins += reward > 0 ? 1 : 0;
      marginSum += reward;
    }
    assertThat(s.at("/implicit_reward_vs_base/accuracy").asDouble()).isEqualTo(rewardWins / 8.0);
    assertThat(s.at("/implicit_reward_vs_base/mean_log_ratio_margin").asDouble()).isCloseTo(marginSum / 8,
        org.assertj.core.data.Offset.offset(1e-9));
    for (Map.Entry<String, Map<String, PreferencePair>> m : Map.of("base (stories260K)", base,
        "genderalign-dpo", aligned).entrySet()) {
      long prefers = m.getValue().values().stream()
          .filter(p -> num(p, "chosen_logp") > num(p, "rejected_logp")).count();
      assertThat(s.at("/models/" + m.getKey().replace("/", "~1") + "/prefers_chosen").asDouble())
          .as(m.getKey()).isEqualTo(prefers / 8.0);
    }
    // the aligned model really differs from the base (training did something)
    assertThat(aligned.values()).anyMatch(p -> num(p, "chosen_logp") != num(base.get(p.id()), "chosen_logp"));

    // provenance: a real git commit of this repository, the seed, the libraries found on the class path
    String rev = s.at("/provenance/gitRevision").asText();
    assertThat(rev).isEqualTo(BuildInfo.gitRevision()).matches("[0-9a-f]{40}(-dirty)?");
    Process git = new ProcessBuilder("git", "cat-file", "-e", rev.replace("-dirty", "") + "^{commit}")
        .directory(Path.of(System.getProperty("genderalign.project.root", ".")).toFile()).start();
    assertThat(git.waitFor()).as("%s is a commit of this repository", rev).isZero();
    assertThat(s.at("/provenance/seed").asLong()).isEqualTo(42);
    assertThat(s.at("/provenance/libraries/ai.djl.api").asText()).isEqualTo(ai.djl.engine.Engine.getDjlVersion());
    assertThat(s.at("/provenance/config/steps").asInt()).isEqualTo(2);
    assertThat(Files.readString(out.resolve("summary.md"))).contains("| genderalign-dpo | 8 |");

    CliRun again = CliRun.of(args);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("2/5 build the data set: done earlier",
        "3/5 align the model with DPO: done earlier", "with the aligned model: done earlier");
  }

  @Test
  void aFailingStepStopsTheRunWithItsExitCodeAndSaysHowToContinue() {
    CliRun r = CliRun.of("--data-root", tmp.resolve("empty").toString(), "run", "--out",
        tmp.resolve("run").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("step '1/5 verify the data root' failed (exit 2)");
    assertThat(tmp.resolve("run/dataset")).doesNotExist();
  }

  private static Map<String, PreferencePair> byId(Path f) throws java.io.IOException {
    Map<String, PreferencePair> m = new java.util.LinkedHashMap<>();
    for (PreferencePair p : PairFiles.readAll(f, Formats.pairs("trl"))) {
      m.put(p.id(), p);
    }
    return m;
  }

  private static double num(PreferencePair p, String key) {
    return ((Number) p.metadata().get(key)).doubleValue();
  }
}

package org.genderalign.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.genderalign.core.io.Hashing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline end to end on {@link TinyPipeline}: one uninterrupted run, then (1) a re-run
 * skips every stage but verify, and a changed DPO setting re-runs exactly harmless,
 * genderalign, evaluate and summary; (2) a run SIGKILLed in the middle of the genderalign stage
 * and run again resumes that stage and ends with the same outputs as the uninterrupted run.
 */
class PipelineRunTest {

  @TempDir static Path tmp;
  static PipelineResult straight;

  @BeforeAll
  static void runOnce() throws Exception {
    straight = Pipeline.run(TinyPipeline.config(tmp.resolve("straight")), null);
  }

  @Test
  void everyStageRanAndTheSummarySaysHowTheModelsCompare() throws Exception {
    assertThat(straight.ran()).isEqualTo(Pipeline.STAGES);
    Path out = tmp.resolve("straight");
    for (String stage : Pipeline.STAGES) {
      assertThat(out.resolve(stage).resolve(StageManifest.FILE)).isRegularFile();
    }
    // the manifest's output hashes are the files' hashes
    StageManifest m = StageManifest.read(out.resolve(Pipeline.GENDERALIGN));
    assertThat(m.outputs()).containsKey("final/model.safetensors");
    for (Map.Entry<String, String> e : m.outputs().entrySet()) {
      assertThat(Hashing.sha256(out.resolve(Pipeline.GENDERALIGN).resolve(e.getKey())))
          .isEqualTo(e.getValue());
    }
    // the effective config repeats the run
    assertThat(PipelineConfigs.load(out.resolve("config.yaml").toString()))
        .isEqualTo(TinyPipeline.config(out));
    // the DPO runs log the KL to the reference
    assertThat(Files.readString(out.resolve("genderalign/metrics.jsonl"))).contains("\"objective/kl\"");
    Summary s = straight.summary();
    assertThat(s.verdicts()).isNotEmpty().allSatisfy(v -> assertThat(v.verdict())
        .isIn("better", "worse", "no significant difference"));
    assertThat(s.verdicts()).extracting(Summary.Verdict::against).contains("Harmless", "Base");
    assertThat(s.perplexity()).extracting(Summary.PerplexityCheck::model)
        .contains("Harmless", "GenderAlign");
    String md = Files.readString(out.resolve("summary/summary.md"));
    assertThat(md).contains("| perplexity |", "vs Harmless: ", "vs Base: ", "objective/kl");
  }

  @Test
  void aRerunSkipsWhatIsUnchangedAndAChangedSettingRerunsItsStageAndDownstream() throws Exception {
    Path out = tmp.resolve("skip");
    copy(tmp.resolve("straight"), out);
    PipelineResult again = Pipeline.run(TinyPipeline.config(out), null);
    assertThat(again.ran()).containsExactly(Pipeline.VERIFY);
    assertThat(again.summary()).isEqualTo(straight.summary());

    PipelineResult beta = Pipeline.run(TinyPipeline.config(out, "dpo.beta=0.3"), null);
    assertThat(beta.ran()).containsExactly(Pipeline.VERIFY, Pipeline.HARMLESS,
        Pipeline.GENDERALIGN, Pipeline.EVALUATE, Pipeline.SUMMARY);
    assertThat(beta.stage(Pipeline.GENDERALIGN).outputs().get("final/model.safetensors"))
        .isNotEqualTo(straight.stage(Pipeline.GENDERALIGN).outputs().get("final/model.safetensors"));

    // an output modified by hand: its stage and everything downstream run again
    Path summaryMd = out.resolve("summary/summary.md");
    Files.writeString(summaryMd, "edited");
    PipelineResult fixed = Pipeline.run(TinyPipeline.config(out, "dpo.beta=0.3"), null);
    assertThat(fixed.ran()).containsExactly(Pipeline.VERIFY, Pipeline.SUMMARY);
    assertThat(Files.readString(summaryMd)).startsWith("# GenderAlign pipeline: summary");
  }

  @Test
  void aRunKilledMidStageFinishesWithTheOutputsOfAnUninterruptedRun() throws Exception {
    Path out = tmp.resolve("killed");
    // the stages before genderalign as the uninterrupted run left them: skipped by their manifests
    for (String s : List.of(Pipeline.VERIFY, Pipeline.BUILD, Pipeline.BASE, Pipeline.HARMLESS)) {
      copy(tmp.resolve("straight").resolve(s), out.resolve(s));
    }
    List<String> lines = runChildUntil(out, "CHECKPOINT genderalign 2");
    assertThat(lines).noneMatch(l -> l.startsWith("CHECKPOINT harmless"));
    assertThat(out.resolve("genderalign/checkpoints")).isDirectory();
    assertThat(out.resolve("genderalign/" + StageManifest.FILE)).doesNotExist();

    PipelineResult resumed = Pipeline.run(TinyPipeline.config(out), null);
    assertThat(resumed.ran()).containsExactly(Pipeline.VERIFY, Pipeline.GENDERALIGN,
        Pipeline.EVALUATE, Pipeline.SUMMARY);
    assertThat(resumed.stage(Pipeline.GENDERALIGN).resumed()).isTrue();
    // the metrics lines are the same but for their wall times
    assertThat(metrics(out)).isEqualTo(metrics(tmp.resolve("straight"))).hasSize(4);
    assertThat(Files.readString(out.resolve("summary/summary.json")))
        .isEqualTo(Files.readString(tmp.resolve("straight/summary/summary.json")));
    for (String s : List.of(Pipeline.BUILD, Pipeline.BASE, Pipeline.HARMLESS, Pipeline.GENDERALIGN,
        Pipeline.SUMMARY)) {
      assertThat(withoutMetrics(resumed.stage(s).outputs())).as(s)
          .isEqualTo(withoutMetrics(straight.stage(s).outputs()));
    }
    assertThat(resumed.stage(Pipeline.GENDERALIGN).outputs()).containsKey("final/model.safetensors");
    // the evaluation's rows are the same (its results files hold times, so compare the rows)
    assertThat(rows(resumed.stage(Pipeline.EVALUATE).outputs()))
        .isEqualTo(rows(straight.stage(Pipeline.EVALUATE).outputs())).isNotEmpty();
  }

  private static Map<String, String> withoutMetrics(Map<String, String> outputs) {
    Map<String, String> m = new TreeMap<>(outputs);
    m.remove("metrics.jsonl");
    return m;
  }

  private static List<String> metrics(Path out) throws Exception {
    return Files.readAllLines(out.resolve("genderalign/metrics.jsonl")).stream()
        .map(l -> l.replaceAll(",\"elapsed_s\":[^,}]*", "")).toList();
  }

  private static Map<String, String> rows(Map<String, String> outputs) {
    Map<String, String> m = new TreeMap<>(outputs);
    // generation rows carry their wall time; their texts are compared through summary.json's
    // sample generations
    m.keySet().removeIf(k -> !k.endsWith(".jsonl") || k.contains("/generations-"));
    return m;
  }

  private static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  /** Runs {@link TinyPipeline#main} in a child JVM and SIGKILLs it when it prints {@code killAt}. */
  private static List<String> runChildUntil(Path out, String killAt) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    for (String p : List.of("DJL_CACHE_DIR", "ai.djl.offline", "ai.djl.pytorch.num_threads",
        "ai.djl.pytorch.num_interop_threads", "genderalign.data.root.fallback",
        "genderalign.project.root")) {
      if (System.getProperty(p) != null) {
        cmd.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TinyPipeline.class.getName(),
        out.toString(), "--announce"));
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    boolean seen = false;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
        if (line.equals(killAt)) {
          seen = true;
          child.destroyForcibly(); // SIGKILL
          break;
        }
      }
    }
    if (!child.waitFor(60, TimeUnit.SECONDS)) {
      child.destroyForcibly();
      throw new AssertionError("child did not end after SIGKILL");
    }
    assertThat(seen).as("child printed '%s': %s", killAt, lines).isTrue();
    return lines;
  }
}

package org.genderalign.cli.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.io.Hashing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash harness: runs {@code genderalign dataset build} and {@code genderalign train dpo} as
 * real processes, kills each with SIGKILL at {@value #KILLS} random points (seeded), resumes
 * each killed run with {@code --resume}, and checks that every resumed run ends byte-identical
 * (data set files) or bit-identical (trained weights, metrics) to the uninterrupted run.
 *
 * <p>A kill point is a random amount of progress — bytes of the build's candidate journal, lines
 * of the trainer's metrics (one per step, checkpoints every step) — plus a random delay of up
 * to one unit of work, so kills land at start-up, mid-generation, mid-step, mid-checkpoint and
 * mid-export. A run that finishes before its kill lands does not count; points are drawn until
 * {@value #KILLS} kills have landed.
 *
 * <p>Not part of the normal build (it starts ~80 JVMs, several minutes): {@code .ci/kill-resume}
 * runs it, and {@code .ci/run} calls that. Seed: {@code -Dgenderalign.kill.seed} (default 12).
 * The report goes to {@code cli/target/kill-resume-report.txt}.
 */
class RandomKillResume {

  static final int KILLS = Integer.getInteger("genderalign.kill.points", 20);
  static final long SEED = Long.getLong("genderalign.kill.seed", 12L);

  @TempDir Path tmp;

  private final List<String> report = new ArrayList<>();

  @Test
  void datasetBuildSurvivesRandomKills() throws Exception {
    Path straight = tmp.resolve("build-straight");
    List<String> args = List.of("dataset", "build", "--target", "300", "--seed", "7", "--quiet");
    long t0 = System.nanoTime();
    assertThat(cli(args, straight, false).waitFor()).isZero();
    double seconds = (System.nanoTime() - t0) / 1e9;
    long journalBytes = Files.size(straight.resolve(".build/candidates.jsonl"));
    Map<String, String> expected = buildOutputs(straight);
    report.add(String.format(Locale.ROOT, "dataset build --target 300: uninterrupted run %.1f s, journal %d bytes, "
        + "%d output files compared", seconds, journalBytes, expected.size()));
    SplittableRandom rnd = new SplittableRandom(SEED);
    int landed = 0;
    for (int attempt = 0; landed < KILLS && attempt < 3 * KILLS; attempt++) {
      Path out = tmp.resolve("build-" + attempt);
      long threshold = rnd.nextLong(journalBytes + 1);
      long delayMs = rnd.nextLong(300);
      boolean killed = killAt(cli(args, out, false), () -> size(out.resolve(".build/candidates.jsonl")), threshold,
          delayMs);
      Process resume = cli(args, out, true);
      assertThat(resume.waitFor()).as("resume after kill at %d bytes + %d ms", threshold, delayMs).isZero();
      assertThat(buildOutputs(out)).as("outputs after kill at %d bytes + %d ms", threshold, delayMs)
          .isEqualTo(expected);
      landed += killed ? 1 : 0;
      report.add(String.format(Locale.ROOT, "  point %2d: journal >= %6d bytes + %3d ms: %s, resumed, identical",
          attempt + 1, threshold, delayMs, killed ? "killed" : "finished before the kill"));
      deleteTree(out);
    }
    report.add("dataset build: " + landed + " kills survived");
    writeReport();
    assertThat(landed).isEqualTo(KILLS);
  }

  @Test
  void trainDpoSurvivesRandomKills() throws Exception {
    Path data = tmp.resolve("pairs.jsonl");
    StringBuilder sb = new StringBuilder();
    String[] names = {"Lily", "Tom", "Sue", "Ben", "Mia", "Max", "Ann", "Sam"};
    for (int i = 0; i < 16; i++) {
      String n = names[i % names.length];
      sb.append(String.format("{\"id\":\"p%d\",\"prompt\":\"Once upon a time, %s met a friend.\","
          + "\"chosen\":\" They shared the toys and smiled.\",\"rejected\":\" %s took the toys and was mean.\"}%n",
          i, n, n));
    }
    Files.writeString(data, sb);
    int steps = 6;
    List<String> args = List.of("train", "dpo", "--model", "stories260K", "--data", data.toString(),
        "--steps", Integer.toString(steps), "--batch-size", "2", "--grad-accum", "2", "--max-length", "64",
        "--lora-rank", "4", "--lora-dropout", "0.1", "--lr", "5e-3", "--save-steps", "1",
        "--save-total-limit", "2", "--logging-steps", "1", "--seed", "3", "--no-progress");
    Path straight = tmp.resolve("dpo-straight");
    long t0 = System.nanoTime();
    assertThat(cli(args, straight, false).waitFor()).isZero();
    double seconds = (System.nanoTime() - t0) / 1e9;
    Map<String, String> expected = trainingOutputs(straight);
    double stepMs = lastElapsed(straight) * 1000 / steps;
    report.add(String.format(Locale.ROOT, "train dpo (stories260K, LoRA r4 with dropout, %d steps, checkpoint every "
        + "step): uninterrupted run %.1f s, %.0f ms per step; compared %s", steps, seconds, stepMs, expected.keySet()));
    SplittableRandom rnd = new SplittableRandom(SEED + 1);
    int landed = 0;
    for (int attempt = 0; landed < KILLS && attempt < 3 * KILLS; attempt++) {
      Path out = tmp.resolve("dpo-" + attempt);
      long threshold = rnd.nextLong(steps + 1);
      long delayMs = rnd.nextLong((long) Math.max(50, stepMs * 1.5));
      boolean killed = killAt(cli(args, out, false), () -> lines(out.resolve("metrics.jsonl")), threshold, delayMs);
      Process resume = cli(args, out, true);
      assertThat(resume.waitFor()).as("resume after kill at step %d + %d ms", threshold, delayMs).isZero();
      assertThat(trainingOutputs(out)).as("outputs after kill at step %d + %d ms", threshold, delayMs)
          .isEqualTo(expected);
      landed += killed ? 1 : 0;
      report.add(String.format(Locale.ROOT, "  point %2d: after step %d + %4d ms: %s, resumed, bit-identical",
          attempt + 1, threshold, delayMs, killed ? "killed" : "finished before the kill"));
      deleteTree(out);
    }
    report.add("train dpo: " + landed + " kills survived");
    writeReport();
    assertThat(landed).isEqualTo(KILLS);
  }

  /** Starts {@code genderalign ARGS --out OUT [--resume]} as its own process. */
  private Process cli(List<String> args, Path out, boolean resume) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g"));
    for (String p : List.of("DJL_CACHE_DIR", "ai.djl.offline", "ai.djl.pytorch.num_threads",
        "ai.djl.pytorch.num_interop_threads", "genderalign.data.root.fallback", "genderalign.project.root")) {
      if (System.getProperty(p) != null) {
        cmd.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), GenderAlignCli.class.getName(),
        "--data-root", DataRoot.fromEnvironment().dir().toString()));
    cmd.addAll(args);
    cmd.addAll(List.of("--out", out.toString()));
    if (resume) {
      cmd.add("--resume");
    }
    Files.createDirectories(tmp.resolve("logs"));
    Path log = tmp.resolve("logs/" + out.getFileName() + (resume ? "-resume" : "") + ".log");
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /**
   * Waits until {@code progress} reaches {@code threshold}, then {@code delayMs} more, then
   * SIGKILLs the process; true when the kill landed before the process ended by itself.
   */
  private static boolean killAt(Process p, java.util.function.LongSupplier progress, long threshold, long delayMs)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (p.isAlive() && progress.getAsLong() < threshold && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    if (delayMs > 0) {
      p.waitFor(delayMs, TimeUnit.MILLISECONDS);
    }
    if (!p.isAlive()) {
      return false;
    }
    p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return true;
  }

  /** sha256 of every deterministic output of a build (provenance.json holds timings). */
  private static Map<String, String> buildOutputs(Path out) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    for (String f : List.of("train.jsonl", "test.jsonl", "genderalign.json", "pairs.csv", "stats.json",
        "categories.svg", "README.md", "build-config.json", "dropped.jsonl", "dropped-seeds.jsonl")) {
      m.put(f, Hashing.sha256(out.resolve(f)));
    }
    return m;
  }

  /** sha256 of the trained weights and of the metrics without their timings. */
  private static Map<String, String> trainingOutputs(Path out) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("final/model.safetensors", Hashing.sha256(out.resolve("final/model.safetensors")));
    m.put("final/adapter/adapter.tensors", Hashing.sha256(out.resolve("final/adapter/adapter.tensors")));
    StringBuilder metrics = new StringBuilder();
    for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
      metrics.append(line.replaceAll(",\"elapsed_s\":[^,}]*", "")).append('\n');
    }
    m.put("metrics.jsonl (without elapsed_s)", Hashing.sha256(metrics.toString()));
    return m;
  }

  private static double lastElapsed(Path out) throws IOException {
    List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"elapsed_s\":([0-9.Ee+-]+)")
        .matcher(lines.get(lines.size() - 1));
    return m.find() ? Double.parseDouble(m.group(1)) : 1.0;
  }

  private static long size(Path f) {
    try {
      return Files.exists(f) ? Files.size(f) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static long lines(Path f) {
    try {
      if (!Files.exists(f)) {
        return 0;
      }
      try (Stream<String> s = Files.lines(f)) {
        return s.count();
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  private void writeReport() throws IOException {
    Path f = Path.of("target", "kill-resume-report.txt");
    Files.createDirectories(f.getParent());
    Files.writeString(f, String.join("\n", report) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    report.forEach(System.out::println);
    report.clear();
  }

}

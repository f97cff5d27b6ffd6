package org.genderalign.core.testing;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Jazzer fuzz targets in fuzzing mode, one child JVM per {@code @FuzzTest} method, each for
 * a time budget.
 *
 * <p>Why a child per target: Jazzer's JUnit integration fuzzes only one {@code @FuzzTest} per
 * JVM ("Only one fuzz test can be run at a time"), and a hostile input that exhausts memory or
 * hangs must not take the build's test JVM down with it. Each child gets
 * {@code JAZZER_FUZZ=1}, {@code JAZZER_MAX_DURATION} = the budget, a small heap
 * ({@value #HEAP}: an allocation sized by a hostile length field fails loudly instead of
 * succeeding on a big machine), and the module folder as working directory, so that Jazzer
 * reads the committed seeds from {@code src/test/resources/<package>/<Class>Inputs/<method>/}
 * first (the regression run) and writes any new crash there (it becomes a regression seed).
 * Its generated corpus goes to {@code .cifuzz-corpus/} (git-ignored).
 *
 * <p>The budget per target is {@code -Dgenderalign.fuzz.seconds} (default
 * {@value #DEFAULT_SECONDS}, so that the normal build's fuzzing stays under two minutes in all);
 * {@code -Dgenderalign.fuzz.targets=name,name} limits the run to some methods. The long job
 * ({@code ./mvnw -Pfuzz …}, docs/hardening.md) raises the budget.
 */
public final class FuzzCampaign {

  /** Seconds per target when {@code genderalign.fuzz.seconds} is not set. */
  public static final int DEFAULT_SECONDS = 2;
  /** Children at a time when {@code genderalign.fuzz.parallel} is not set. */
  public static final int DEFAULT_PARALLEL = 2;
  /** Heap of each fuzzing child. */
  public static final String HEAP = "256m";
  /** Seconds past the budget after which one input counts as a hang. */
  static final int HANG_MARGIN_SECONDS = 20;

  private static final Pattern DONE = Pattern.compile("Done (\\d+) runs in (\\d+) second");
  private static final Pattern STATUS = Pattern.compile("^#(\\d+)\\s", Pattern.MULTILINE);

  private FuzzCampaign() {}

  /**
   * What one target's fuzzing did.
   *
   * @param target {@code Class#method}
   * @param executions inputs run (libFuzzer's count), -1 if unknown
   * @param seconds wall time of the child
   * @param passed no finding, no crash of the child
   * @param log the child's output (for the failure message)
   */
  public record Result(String target, long executions, double seconds, boolean passed, String log) {
    /** One line for the report. */
    public String line() {
      return String.format(Locale.ROOT, "%-60s %10d execs %6.1f s  %s", target, executions, seconds,
          passed ? "ok" : "FINDING");
    }
  }

  /** Seconds per target for this build. */
  public static int secondsPerTarget() {
    return Integer.getInteger("genderalign.fuzz.seconds", DEFAULT_SECONDS);
  }

  /** The {@code @FuzzTest} methods of {@code fuzzer}, by name, filtered by {@code genderalign.fuzz.targets}. */
  public static List<String> targets(Class<?> fuzzer) {
    String only = System.getProperty("genderalign.fuzz.targets", "");
    List<String> filter = only.isBlank() ? List.of() : Arrays.asList(only.split(","));
    List<String> out = new ArrayList<>();
    Arrays.stream(fuzzer.getDeclaredMethods())
        .filter(m -> m.isAnnotationPresent(FuzzTest.class))
        .sorted(Comparator.comparing(Method::getName))
        .forEach(m -> {
          if (filter.isEmpty() || filter.contains(m.getName())) {
            out.add(m.getName());
          }
        });
    return out;
  }

  /** Fuzzes {@code fuzzer#method} for {@code budget} in a child JVM. */
  public static Result run(Class<?> fuzzer, String method, Duration budget) throws IOException, InterruptedException {
    String target = fuzzer.getSimpleName() + "#" + method;
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + HEAP);
    cmd.add("-XX:+UseSerialGC");
    if (budget.toSeconds() < 60) {
      // C1 only: a short run spends most of its time starting up (Jazzer retransforms the JDK
      // classes it hooks), where the optimising compiler costs more than it saves.
      cmd.add("-XX:TieredStopAtLevel=1");
    }
    for (String p : List.of("DJL_CACHE_DIR", "ai.djl.offline", "genderalign.data.root.fallback",
        "genderalign.project.root")) {
      if (System.getProperty(p) != null) {
        cmd.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(FuzzMain.class.getName());
    cmd.add(fuzzer.getName());
    cmd.add(method);
    cmd.add(parameterTypes(fuzzer, method));
    cmd.add((budget.toSeconds() + HANG_MARGIN_SECONDS) + " s");
    Path log = Files.createTempFile("fuzz-" + method + "-", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("JAZZER_FUZZ", "1");
    pb.environment().put("JAZZER_MAX_DURATION", budget.toSeconds() + "s");
    // Coverage of the project's own code guides the fuzzer; instrumenting every library class
    // as well costs seconds of start-up per child for little gain in a short run.
    pb.environment().put("JAZZER_INSTRUMENTATION_INCLUDES",
        System.getProperty("genderalign.fuzz.instrument", "org.genderalign.**"));
    long t0 = System.nanoTime();
    Process p = pb.start();
    // Start-up (instrumentation) takes a few seconds of CPU, minutes of wall time on a loaded
    // machine; a hanging input is caught inside the child by the JUnit timeout above, so this
    // outer limit only catches a child that cannot even report (generous, to not call load a hang).
    long limit = budget.toSeconds() + HANG_MARGIN_SECONDS + 300;
    boolean finished = p.waitFor(limit, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly().waitFor();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    long execs = executions(out);
    boolean passed = finished && p.exitValue() == 0;
    return new Result(target, execs, seconds, passed, finished ? out : out + "\n[killed: no end after "
        + limit + " s: a hang]");
  }

  private static String parameterTypes(Class<?> fuzzer, String method) {
    for (Method m : fuzzer.getDeclaredMethods()) {
      if (m.getName().equals(method) && m.isAnnotationPresent(FuzzTest.class)) {
        return String.join(",", Arrays.stream(m.getParameterTypes()).map(Class::getTypeName).toList());
      }
    }
    throw new IllegalArgumentException("no @FuzzTest " + method + " in " + fuzzer.getName());
  }

  /**
   * Fuzzes every {@code @FuzzTest} of {@code fuzzers} (filtered by
   * {@code genderalign.fuzz.targets}) for {@link #secondsPerTarget()} seconds each,
   * {@code genderalign.fuzz.parallel} children at a time, and reports the results.
   */
  public static List<Result> runAll(List<Class<?>> fuzzers) throws IOException, InterruptedException {
    Duration budget = Duration.ofSeconds(secondsPerTarget());
    int parallel = Math.max(1, Integer.getInteger("genderalign.fuzz.parallel", DEFAULT_PARALLEL));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(parallel);
    try {
      List<java.util.concurrent.Future<Result>> futures = new ArrayList<>();
      for (Class<?> f : fuzzers) {
        for (String m : targets(f)) {
          futures.add(pool.submit(() -> run(f, m, budget)));
        }
      }
      List<Result> results = new ArrayList<>();
      for (java.util.concurrent.Future<Result> fu : futures) {
        try {
          results.add(fu.get());
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IOException("a fuzzing child could not be run", e.getCause());
        }
      }
      report(results);
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** libFuzzer's final run count, else its last status line's count. */
  static long executions(String log) {
    Matcher m = DONE.matcher(log);
    long n = -1;
    while (m.find()) {
      n = Long.parseLong(m.group(1));
    }
    if (n >= 0) {
      return n;
    }
    Matcher s = STATUS.matcher(log);
    while (s.find()) {
      n = Long.parseLong(s.group(1));
    }
    return n;
  }

  /** The last few KB of a child's output, for a failure message. */
  public static String tail(String log) {
    return log.length() <= 6000 ? log : log.substring(log.length() - 6000);
  }

  /** Appends result lines to {@code target/fuzz-report.txt} of the module under test. */
  public static void report(List<Result> results) throws IOException {
    Path f = Path.of("target", "fuzz-report.txt");
    Files.createDirectories(f.getParent());
    StringBuilder sb = new StringBuilder();
    for (Result r : results) {
      sb.append(r.line()).append('\n');
    }
    Files.writeString(f, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    System.out.print(sb);
  }
}

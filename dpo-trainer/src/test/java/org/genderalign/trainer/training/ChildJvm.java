package org.genderalign.trainer.training;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test class's {@code main} in a child JVM with this JVM's class path and DJL settings,
 * and SIGKILLs it as soon as it prints a given line — the kill half of a kill-and-resume test.
 */
public final class ChildJvm {

  private ChildJvm() {}

  /**
   * The child's loop listener: if {@code announce}, prints {@code CHECKPOINT n} after each
   * checkpoint and sleeps 100 ms per step so that the parent's SIGKILL lands mid-run; else nothing.
   */
  public static StepListener announcer(boolean announce) {
    return new StepListener() {
      @Override
      public void checkpointSaved(long step, Path folder) {
        if (announce) {
          System.out.println("CHECKPOINT " + step);
          System.out.flush();
        }
      }

      @Override
      public void beforeUpdate(long step, java.util.Map<String, ai.djl.nn.Parameter> params) {
        if (announce) {
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    };
  }

  /**
   * @return the lines the child printed, the last one being {@code killAt}
   * @throws AssertionError if the child ended without printing {@code killAt}
   */
  public static List<String> runUntil(Class<?> main, List<String> args, String killAt) throws Exception {
    return killAt(main, args, killAt).output();
  }

  /**
   * Runs {@code main} and SIGKILLs it as soon as it prints {@code killAt}.
   *
   * @return the lines the child printed (the last one being {@code killAt}) and its exit value
   * @throws AssertionError if the child ended without printing {@code killAt}
   */
  public static Ended killAt(Class<?> main, List<String> args, String killAt) throws Exception {
    Process child = new ProcessBuilder(command(main, args)).redirectErrorStream(true).start();
    List<String> output = new ArrayList<>();
    boolean seen = false;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        output.add(line);
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
    if (!seen) {
      throw new AssertionError("child ended (exit " + child.exitValue() + ") without printing '" + killAt + "': "
          + output);
    }
    return new Ended(output, child.exitValue());
  }

  /** What a child run printed and how it ended. */
  public record Ended(List<String> output, int exitValue) {}

  /**
   * Runs {@code main} in {@code workDir}, sends it SIGTERM as soon as it prints {@code at}, and
   * reads what it prints until it exits (at most 120 s).
   */
  public static Ended terminateAt(Class<?> main, List<String> args, Path workDir, String at)
      throws Exception {
    Process child = new ProcessBuilder(command(main, args)).directory(workDir.toFile())
        .redirectErrorStream(true).start();
    List<String> output = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        output.add(line);
        if (line.equals(at)) {
          child.toHandle().destroy(); // SIGTERM (Process.destroy would also close our pipe)
        }
      }
    }
    if (!child.waitFor(120, TimeUnit.SECONDS)) {
      child.destroyForcibly();
      throw new AssertionError("child did not end after SIGTERM: " + output);
    }
    return new Ended(output, child.exitValue());
  }

  /** The command line of a child JVM: this JVM's class path and DJL settings. */
  private static List<String> command(Class<?> main, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    for (String p : List.of("DJL_CACHE_DIR", "ai.djl.offline", "ai.djl.pytorch.num_threads",
        "ai.djl.pytorch.num_interop_threads", "genderalign.data.root.fallback", "genderalign.project.root")) {
      if (System.getProperty(p) != null) {
        cmd.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(args);
    return cmd;
  }
}

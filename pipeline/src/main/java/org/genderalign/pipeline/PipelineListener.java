package org.genderalign.pipeline;

import java.io.PrintWriter;

/** What a pipeline run tells its caller as it goes (the CLI prints it; tests record it). */
public interface PipelineListener {

  /** A stage starts; {@code resume} when it continues an interrupted run of the same stage. */
  default void stageStarted(String stage, boolean resume, String why) {}

  /** A stage is skipped: its manifest matches. */
  default void stageSkipped(String stage) {}

  /** A stage finished in {@code seconds} of wall time, using {@code cpuSeconds} of CPU time. */
  default void stageFinished(String stage, double seconds, double cpuSeconds) {}

  /** A trainer of {@code stage} saved a checkpoint after {@code step}. */
  default void checkpointSaved(String stage, long step) {}

  /** A one-line note (resume, sizes, warnings). */
  default void message(String line) {}

  /** Says nothing. */
  PipelineListener NONE = new PipelineListener() {};

  /** Prints one line per event to {@code out}. */
  static PipelineListener printing(PrintWriter out) {
    return new PipelineListener() {
      @Override
      public void stageStarted(String stage, boolean resume, String why) {
        out.println("== " + stage + (resume ? ": resuming the interrupted run" : ": running")
            + (why == null ? "" : " (" + why + ")"));
        out.flush();
      }

      @Override
      public void stageSkipped(String stage) {
        out.println("== " + stage + ": up to date, skipped");
        out.flush();
      }

      @Override
      public void stageFinished(String stage, double seconds, double cpuSeconds) {
        out.printf(java.util.Locale.ROOT, "   %s done in %.1f s (CPU %.1f s)%n", stage, seconds,
            cpuSeconds);
        out.flush();
      }

      @Override
      public void message(String line) {
        out.println("   " + line);
        out.flush();
      }
    };
  }
}

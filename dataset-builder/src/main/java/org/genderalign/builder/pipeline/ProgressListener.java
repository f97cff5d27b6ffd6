package org.genderalign.builder.pipeline;

/** Progress of a long build stage (the CLI shows a progress bar; tests pass {@link #NONE}). */
public interface ProgressListener {

  /** Ignores progress. */
  ProgressListener NONE = new ProgressListener() {
    @Override public void start(String stage, long total) { }
    @Override public void step(long n) { }
    @Override public void finish() { }
  };

  /** A stage begins with {@code total} units of work (already-done units are reported by step). */
  void start(String stage, long total);

  /** {@code n} more units are done. Called from any thread. */
  void step(long n);

  /** The stage ended. */
  void finish();

  /** A one-line message (e.g. "resuming: 1,234 candidates from the journal"). */
  default void message(String line) {}

  /**
   * A one-line progress detail (per generation round, top-ups): shown with the progress bar,
   * silent when the user asked for quiet.
   */
  default void detail(String line) {
    message(line);
  }
}

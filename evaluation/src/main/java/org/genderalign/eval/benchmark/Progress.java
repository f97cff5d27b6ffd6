package org.genderalign.eval.benchmark;

/** Progress of long work, for progress bars (the evaluator draws them; tests ignore them). */
public interface Progress {

  /** Ignores everything. */
  Progress NONE = new Progress() {
    @Override
    public void start(String task, long total) {}

    @Override
    public void step(long n) {}
  };

  /** A new task of {@code total} steps begins (−1 = unknown). */
  void start(String task, long total);

  /** {@code n} more steps are done. */
  void step(long n);
}

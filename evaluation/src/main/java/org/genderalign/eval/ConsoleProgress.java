package org.genderalign.eval;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.genderalign.eval.benchmark.Progress;

/** Progress on the console with me.tongfei's progressbar: one bar per task, on stderr. */
final class ConsoleProgress implements Progress, AutoCloseable {

  private ProgressBar bar;

  @Override
  public void start(String task, long total) {
    close();
    bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" req", 1)
        .setUpdateIntervalMillis(500).setConsumer(new ConsoleProgressBarConsumer(System.err))
        .build();
  }

  @Override
  public void step(long n) {
    if (bar != null) {
      bar.stepBy(n);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}

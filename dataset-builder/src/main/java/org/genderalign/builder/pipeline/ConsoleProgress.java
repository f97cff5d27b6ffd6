package org.genderalign.builder.pipeline;

import java.io.PrintStream;
import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on a console stream (me.tongfei:progressbar), one bar per stage. */
public final class ConsoleProgress implements ProgressListener {

  private final PrintStream stream;
  private final PrintWriter messages;
  private ProgressBar bar;

  /**
   * @param stream where bars are drawn (usually {@code System.err})
   * @param messages where one-line messages go
   */
  public ConsoleProgress(PrintStream stream, PrintWriter messages) {
    this.stream = stream;
    this.messages = messages;
  }

  @Override
  public synchronized void start(String stage, long total) {
    finish();
    bar = new ProgressBarBuilder().setTaskName(stage).setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
        .setConsumer(new ConsoleProgressBarConsumer(stream)).continuousUpdate().build();
  }

  @Override
  public synchronized void step(long n) {
    if (bar != null) {
      bar.stepBy(n);
    }
  }

  @Override
  public synchronized void finish() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  @Override
  public synchronized void message(String line) {
    messages.println(line);
    messages.flush();
  }
}

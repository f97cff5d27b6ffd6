package org.genderalign.maven;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.Locale;
import java.util.Map;
import org.apache.maven.plugin.logging.Log;
import org.genderalign.builder.pipeline.ProgressListener;
import org.genderalign.trainer.training.StepListener;

/** The library's progress channels (a log writer, build progress, training steps) into the Maven log. */
final class MavenLog {

  private MavenLog() {}

  /** A writer whose every line becomes an info line of {@code log}. */
  static PrintWriter writer(Log log) {
    return new PrintWriter(new Writer() {
      private final StringBuilder line = new StringBuilder();

      @Override
      public synchronized void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
          char c = buf[i];
          if (c == '\n') {
            emit();
          } else if (c != '\r') {
            line.append(c);
          }
        }
      }

      private void emit() {
        log.info(line.toString());
        line.setLength(0);
      }

      @Override
      public void flush() {}

      @Override
      public synchronized void close() {
        if (line.length() > 0) {
          emit();
        }
      }
    }, true);
  }

  /**
   * Build progress as log lines: each stage's start and end, every tenth of it, and the
   * builder's messages and details.
   */
  static ProgressListener progress(Log log) {
    return new ProgressListener() {
      private String stage;
      private long total;
      private long done;
      private long nextReport;

      @Override
      public synchronized void start(String s, long t) {
        stage = s;
        total = t;
        done = 0;
        nextReport = Math.max(1, t / 10);
        log.info(String.format(Locale.ROOT, "%s: %,d to do", s, t));
      }

      @Override
      public synchronized void step(long n) {
        done += n;
        if (total > 0 && done >= nextReport && done < total) {
          log.info(String.format(Locale.ROOT, "%s: %,d / %,d (%d%%)", stage, done, total, 100 * done / total));
          nextReport = done + Math.max(1, total / 10);
        }
      }

      @Override
      public synchronized void finish() {
        log.info(String.format(Locale.ROOT, "%s: done (%,d)", stage, done));
      }

      @Override
      public void message(String line) {
        log.info(line);
      }
    };
  }

  /** Each metrics record the training loop writes, as one log line. */
  static StepListener steps(Log log) {
    return new StepListener() {
      @Override
      public void logged(Map<String, Object> record) {
        log.info(format(record));
      }
    };
  }

  /** {@code step 10: loss 0.6931 rewards/accuracies 0.5 …}: numbers to 4 significant digits. */
  static String format(Map<String, Object> record) {
    StringBuilder sb = new StringBuilder();
    Object step = record.get("step");
    sb.append("step ").append(step);
    record.forEach((k, v) -> {
      if (!k.equals("step")) {
        sb.append(sb.length() == 0 ? "" : "  ").append(k).append(' ')
            .append(v instanceof Double || v instanceof Float
                ? String.format(Locale.ROOT, "%.4g", ((Number) v).doubleValue()) : String.valueOf(v));
      }
    });
    return sb.toString();
  }
}

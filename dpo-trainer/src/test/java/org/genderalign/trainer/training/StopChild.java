package org.genderalign.trainer.training;

import java.nio.file.Path;
import java.time.Duration;
import org.genderalign.core.lifecycle.GracefulStop;

/**
 * The child JVM of {@link SigtermStopTest}: {@link ResumeChild}'s DPO run, with the graceful-stop
 * hook installed as the CLI installs it; prints {@code STOPPED <message>} when a termination
 * signal stopped it.
 */
public final class StopChild {

  private StopChild() {}

  public static void main(String[] args) throws Exception {
    GracefulStop.install(Duration.ofSeconds(60), System.err);
    try {
      ResumeChild.run(Path.of(args[0]), false, true, "dpo");
    } catch (GracefulStop.StoppedException e) {
      System.out.println("STOPPED " + e.getMessage());
      System.out.flush();
    } finally {
      GracefulStop.finished();
    }
  }
}

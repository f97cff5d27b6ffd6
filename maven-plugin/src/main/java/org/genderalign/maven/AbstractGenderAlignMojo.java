package org.genderalign.maven;

import java.io.File;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.error.ErrorLines;

/**
 * What every working goal shares: the data root, where DJL finds libtorch, {@code skip}, and
 * failures as {@link MojoFailureException}s carrying the CLI's one-line message
 * ({@link ErrorLines#oneLine}).
 */
abstract class AbstractGenderAlignMojo extends AbstractMojo {

  /** Where DJL extracts libtorch when {@code DJL_CACHE_DIR} is not set (as the CLI's launcher). */
  static final String DEFAULT_DJL_CACHE_DIR = "${user.home}/.cache/genderalign/djl";

  /** Data root; default: {@code GENDERALIGN_DATA_ROOT}, else {@code data/external}. */
  @Parameter(property = "genderalign.dataRoot")
  File dataRoot;

  /**
   * Where DJL extracts libtorch (~430 MB), shared with the CLI; a {@code DJL_CACHE_DIR}
   * environment variable or system property wins.
   */
  @Parameter(property = "genderalign.djlCacheDir", defaultValue = DEFAULT_DJL_CACHE_DIR)
  File djlCacheDir;

  /** Let DJL download what it misses (libtorch, models); default: never (offline, as the CLI). */
  @Parameter(property = "genderalign.djlDownloads", defaultValue = "false")
  boolean djlDownloads;

  /** Skip this goal. */
  @Parameter(property = "genderalign.skip", defaultValue = "false")
  boolean skip;

  @Override
  public final void execute() throws MojoFailureException {
    if (skip) {
      getLog().info("skipped (genderalign.skip)");
      return;
    }
    configureDjl();
    try {
      run();
    } catch (MojoFailureException e) {
      throw e;
    } catch (Exception e) {
      // The CLI's `error: …` line, without the `error: ` (Maven prints its own). Bad input
      // carries no cause, as the CLI shows no stack trace for it: Maven would append the
      // cause's (multi-line) message to the line. Other failures keep theirs for `mvn -e`.
      throw ErrorLines.isBadInput(e) ? new MojoFailureException(ErrorLines.oneLine(e))
          : new MojoFailureException(ErrorLines.oneLine(e), e);
    }
  }

  /** The goal's work. */
  abstract void run() throws Exception;

  /** The data root: {@link #dataRoot}, else the environment's. */
  DataRoot root() {
    return DataRoot.resolve(dataRoot == null ? null : dataRoot.toPath());
  }

  /**
   * DJL reads these once, when the engine first loads in this JVM; an explicit setting (an
   * environment variable, {@code -D…} in {@code MAVEN_OPTS}) is left alone.
   */
  void configureDjl() {
    if (System.getenv("DJL_CACHE_DIR") == null && System.getProperty("DJL_CACHE_DIR") == null
        && djlCacheDir != null) {
      System.setProperty("DJL_CACHE_DIR", djlCacheDir.getAbsolutePath());
    }
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", Boolean.toString(!djlDownloads));
    }
  }
}

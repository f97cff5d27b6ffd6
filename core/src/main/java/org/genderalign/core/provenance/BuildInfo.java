package org.genderalign.core.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version of this build and the git revision it was built from (written by the
 * git-commit-id Maven plugin into {@code git.properties} at build time).
 */
public final class BuildInfo {

  private static final Properties GIT = load();

  private BuildInfo() {}

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("git.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // Unknown revision is reported as "unknown", never as a failure.
    }
    return p;
  }

  /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    String v = GIT.getProperty("git.build.version");
    if (v == null) {
      v = BuildInfo.class.getPackage().getImplementationVersion();
    }
    return v == null ? "unknown" : v;
  }

  /** Full git commit id, with {@code -dirty} when built from uncommitted changes. */
  public static String gitRevision() {
    String id = GIT.getProperty("git.commit.id", "unknown");
    return Boolean.parseBoolean(GIT.getProperty("git.dirty", "false")) ? id + "-dirty" : id;
  }

  /** Short git commit id (with {@code -dirty} when applicable). */
  public static String gitRevisionShort() {
    String id = GIT.getProperty("git.commit.id.abbrev", "unknown");
    return Boolean.parseBoolean(GIT.getProperty("git.dirty", "false")) ? id + "-dirty" : id;
  }
}

package org.genderalign.cli;

import org.genderalign.core.provenance.BuildInfo;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: project version, git revision, Java runtime. */
public final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {
        "genderalign " + BuildInfo.version() + " (git " + BuildInfo.gitRevision() + ")",
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}

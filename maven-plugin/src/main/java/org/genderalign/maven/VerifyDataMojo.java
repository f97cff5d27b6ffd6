package org.genderalign.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.genderalign.core.dataroot.DataFile;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.dataroot.VerifyResult;

/**
 * {@code genderalign:verify-data} — checks the registered external files (size + sha256) under
 * the data root, like {@code ./genderalign data verify}, and fails the build if any is missing
 * or corrupt. Bind it to {@code validate} so a training build fails before it starts.
 */
@Mojo(name = "verify-data", defaultPhase = LifecyclePhase.VALIDATE, requiresProject = false, threadSafe = true)
public final class VerifyDataMojo extends AbstractMojo {

  /** Data root; default: {@code GENDERALIGN_DATA_ROOT}, else {@code data/external}. */
  @Parameter(property = "genderalign.dataRoot")
  File dataRoot;

  /** Registered ids to check (default: all). */
  @Parameter(property = "genderalign.only")
  List<String> only;

  @Override
  public void execute() throws MojoFailureException {
    DataRoot root = DataRoot.resolve(dataRoot == null ? null : dataRoot.toPath());
    getLog().info("data root: " + root.dir() + " [" + root.origin() + "]");
    List<DataFile> files = only == null || only.isEmpty()
        ? root.registry().files()
        : only.stream().map(root.registry()::require).toList();
    List<String> problems = new ArrayList<>();
    for (DataFile f : files) {
      VerifyResult r = root.verify(f);
      getLog().info(String.format("%-40s %-10s %s", f.id(), r.status(), f.licence()));
      if (!r.ok()) {
        problems.add(r.message());
      }
    }
    if (!problems.isEmpty()) {
      problems.forEach(getLog()::error);
      throw new MojoFailureException(problems.size() + " of " + files.size()
          + " external files are missing or corrupt: " + problems.get(0));
    }
    getLog().info(files.size() + " files ok");
  }
}

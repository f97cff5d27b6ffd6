package org.genderalign.cli.data;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.genderalign.core.dataroot.DataFile;
import org.genderalign.core.dataroot.DataRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code genderalign data list}: the registry, with paths, sizes, licences and sources. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List the registered external files: id, path, bytes, licence, source.")
public final class DataListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (DataFile f : DataRegistry.load().files()) {
      out.printf("%s%n  path:    %s (%,d bytes)%n  licence: %s%n  source:  %s%n  what:    %s%n",
          f.id(), f.path(), f.bytes(), f.licence(), f.source(), f.description());
    }
    out.flush();
    return 0;
  }
}

package org.genderalign.cli.data;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.core.dataroot.DataFile;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.dataroot.VerifyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign data verify}: checks every registered file's size and sha256 and prints a
 * table (id, status, licence). Exits 2 if anything is missing or corrupt, after saying how to fix it.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Check every registered external file (size + sha256); exit 2 if any is missing or corrupt.")
public final class DataVerifyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--only", split = ",", paramLabel = "ID",
      description = "Check only these ids (comma-separated).")
  List<String> only;

  @Override
  public Integer call() {
    DataRoot root = GenderAlignCli.root(spec).dataRoot();
    PrintWriter out = spec.commandLine().getOut();
    out.printf("data root: %s  [%s]%n", root.dir(), root.origin());
    List<DataFile> files = only == null ? root.registry().files()
        : only.stream().map(root.registry()::require).toList();
    int idW = files.stream().mapToInt(f -> f.id().length()).max().orElse(2);
    String fmt = "%-" + idW + "s  %-10s  %s%n";
    out.printf(fmt, "id", "status", "licence");
    List<VerifyResult> bad = new ArrayList<>();
    for (DataFile f : files) {
      VerifyResult r = root.verify(f);
      out.printf(fmt, f.id(), r.status().name().toLowerCase(java.util.Locale.ROOT), f.licence());
      if (!r.ok()) {
        bad.add(r);
      }
    }
    out.printf("%d files: %d ok, %d missing or corrupt%n", files.size(), files.size() - bad.size(), bad.size());
    out.flush();
    if (bad.isEmpty()) {
      return 0;
    }
    PrintWriter err = spec.commandLine().getErr();
    for (VerifyResult r : bad) {
      err.println("error: " + r.message());
    }
    err.flush();
    return GenderAlignCli.EXIT_BAD_INPUT;
  }
}

package org.genderalign.cli.taxonomy;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.taxonomy.Taxonomy;
import org.genderalign.taxonomy.lexicon.Lexicon;
import org.genderalign.taxonomy.lexicon.Lexicons;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code genderalign taxonomy describe}: the categories' definitions and criteria. */
@Command(name = "describe", mixinStandardHelpOptions = true,
    description = "Print the five categories: id, display name, definition, inclusion and exclusion criteria.")
public final class TaxonomyDescribeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--lexicons", description = "Also list the lexicons (size and source); reads the data root.")
  boolean lexicons;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(Taxonomy.shipped().describe());
    if (lexicons) {
      Lexicons lex = Lexicons.load(GenderAlignCli.root(spec).dataRoot());
      out.println("\nlexicons");
      for (Lexicon l : lex.all().values()) {
        out.printf("  %-28s %5d terms  source: %s%n", l.name(), l.size(), l.source());
      }
      for (Lexicon l : lex.cues().values()) {
        out.printf("  %-28s %5d terms  source: %s%n", l.name(), l.size(), l.source());
      }
    }
    out.flush();
    return 0;
  }
}

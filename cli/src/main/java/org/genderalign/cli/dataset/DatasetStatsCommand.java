package org.genderalign.cli.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.genderalign.cli.BadUsageException;
import org.genderalign.cli.Check;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.dataset.DatasetStats;
import org.genderalign.core.dataset.LengthSummary;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.RecordFormat;
import org.genderalign.core.format.RecordReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign dataset stats}: pair count, length distributions (words), exact duplicates,
 * category and source mix of a preference data file; {@code --json} for machines. Streams the
 * file; the first bad record is an error (exit 2).
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Summarise a preference data file: counts, lengths in words (min/median/p90/max), "
        + "exact duplicate prompts and pairs, category and source mix.")
public final class DatasetStatsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Check.InputFile
  @Option(names = "--in", required = true, paramLabel = "PATH", description = "The data file (.gz accepted).")
  Path in;

  @Option(names = "--format", defaultValue = "trl", paramLabel = "FORMAT",
      description = "genderalign, hh, trl or csv (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--json", description = "Print the statistics as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    RecordFormat<PreferencePair> f;
    try {
      f = Formats.pairs(format);
    } catch (IllegalArgumentException e) {
      throw new BadUsageException("--format: " + e.getMessage());
    }
    if (!Files.isRegularFile(in)) {
      throw new BadUsageException("--in " + in + ": no such file");
    }
    DatasetStats.Accumulator acc = new DatasetStats.Accumulator();
    try (RecordReader<PreferencePair> r = f.reader(in)) {
      PreferencePair p;
      while ((p = r.next()) != null) {
        acc.add(p);
      }
    }
    DatasetStats s = acc.build();
    if (s.pairs() == 0) {
      throw InvalidInputException.empty(in, "pairs");
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("file", in.toString());
      doc.put("format", format);
      doc.put("stats", s);
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
    } else {
      print(out, s);
    }
    out.flush();
    return 0;
  }

  private void print(PrintWriter out, DatasetStats s) {
    out.printf("%s (%s): %,d pairs%n", in, format, s.pairs());
    out.printf("length in words   %8s %8s %8s %8s %10s%n", "min", "median", "p90", "max", "mean");
    row(out, "prompt", s.prompt());
    row(out, "chosen", s.chosen());
    row(out, "rejected", s.rejected());
    out.printf("distinct prompts: %,d; duplicate prompts: %,d; duplicate pairs: %,d; chosen == rejected: %,d%n",
        s.distinctPrompts(), s.duplicatePrompts(), s.duplicatePairs(), s.identicalAnswers());
    mix(out, "categories", s.categories(), s.pairs());
    mix(out, "sources", s.sources(), s.pairs());
  }

  private static void row(PrintWriter out, String name, LengthSummary l) {
    out.printf(Locale.ROOT, "  %-15s %8d %8d %8d %8d %10.1f%n", name, l.min(), l.median(), l.p90(), l.max(), l.mean());
  }

  private static void mix(PrintWriter out, String name, Map<String, Long> m, long total) {
    out.printf("%s:%n", name);
    m.forEach((k, v) -> out.printf(Locale.ROOT, "  %-40s %,8d  %5.1f%%%n", k, v, 100.0 * v / Math.max(1, total)));
  }
}

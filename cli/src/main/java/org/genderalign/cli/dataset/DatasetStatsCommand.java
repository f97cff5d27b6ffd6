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
import org.genderalign.builder.audit.DatasetAudit;
import org.genderalign.cli.BadUsageException;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.cli.Check;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.dataset.AuditSettings;
import org.genderalign.core.dataset.DatasetStats;
import org.genderalign.core.dataset.ShortcutAudit;
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
 * category and source mix of a preference data file, and its shortcut audit beside the real
 * release sample's ({@link DatasetAudit}); {@code --json} for machines. Streams the file; the
 * first bad record is an error (exit 2).
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Summarise a preference data file: counts, lengths in words (min/median/p90/max), "
        + "exact duplicate prompts and pairs, category and source mix, and the shortcut audit (longer answer "
        + "chosen, length ratio, distinct answers, distinct-n on fixed-size samples, 4-gram artefacts, pairs over "
        + "the token budget) beside the real GenderAlign release sample.")
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

  @Option(names = "--max-length", paramLabel = "L",
      description = "Token budget of the audit: prompt + the longer answer, stories260K tokens (default: 256, "
          + "the run command's DPO max length).")
  Integer maxLength;

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
    if (maxLength != null && maxLength < 2) {
      throw new BadUsageException("--max-length: must be at least 2, got " + maxLength);
    }
    AuditSettings settings = maxLength == null ? AuditSettings.defaults() : AuditSettings.defaults().withMaxLength(maxLength);
    DataRoot root = GenderAlignCli.root(spec).dataRoot();
    DatasetStats.Accumulator acc = new DatasetStats.Accumulator();
    ShortcutAudit.Accumulator audit = DatasetAudit.accumulator(root, settings);
    try (RecordReader<PreferencePair> r = f.reader(in)) {
      PreferencePair p;
      while ((p = r.next()) != null) {
        acc.add(p);
        audit.add(p);
      }
    }
    DatasetStats s = acc.build();
    if (s.pairs() == 0) {
      throw InvalidInputException.empty(in, "pairs");
    }
    DatasetAudit.Report report = DatasetAudit.report(audit.build(), root, settings);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("file", in.toString());
      doc.put("format", format);
      doc.put("stats", s);
      doc.put("shortcut_audit", DatasetAudit.toJson(report));
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
    } else {
      print(out, s);
      printAudit(out, report);
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

  private static void printAudit(PrintWriter out, DatasetAudit.Report r) {
    AuditSettings st = r.settings();
    out.printf(Locale.ROOT, "shortcut audit (diversity: mean of %d samples of %d pairs; tokens: %s):%n", st.samples(),
        st.sampleSize(), r.tokenizer() == null ? "not counted, no tokenizer in the data root" : r.tokenizer());
    out.printf(Locale.ROOT, "  %-52s %22s %22s%n", "", "this file", "release sample");
    for (DatasetAudit.Row row : DatasetAudit.rows(r)) {
      out.printf(Locale.ROOT, "  %-52s %22s %22s%n", row.label(), row.value(), row.release());
    }
    if (r.warnings().isEmpty()) {
      out.println("no shortcut warnings");
    } else {
      r.warnings().forEach(w -> out.println("warning: " + w));
    }
  }

  private static void row(PrintWriter out, String name, LengthSummary l) {
    out.printf(Locale.ROOT, "  %-15s %8d %8d %8d %8d %10.1f%n", name, l.min(), l.median(), l.p90(), l.max(), l.mean());
  }

  private static void mix(PrintWriter out, String name, Map<String, Long> m, long total) {
    out.printf("%s:%n", name);
    m.forEach((k, v) -> out.printf(Locale.ROOT, "  %-40s %,8d  %5.1f%%%n", k, v, 100.0 * v / Math.max(1, total)));
  }
}

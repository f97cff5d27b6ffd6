package org.genderalign.cli.taxonomy;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.genderalign.cli.BadUsageException;
import org.genderalign.cli.Check;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.cli.Validated;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.PairFiles;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.format.ErrorPolicy;
import org.genderalign.core.format.RecordWriter;
import org.genderalign.core.format.TrlFormat;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.taxonomy.DefaultBiasClassifier;
import org.genderalign.taxonomy.GenderRelatednessDetector;
import org.genderalign.taxonomy.audit.AuditReport;
import org.genderalign.taxonomy.audit.PairJudge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign taxonomy audit}: how many pairs are about gender, the category mix of their
 * chosen and rejected answers, and the flagged pairs (gender-related with a biased chosen
 * answer) written as annotated TRL JSONL, with the report as JSON beside them.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = {"Audit a preference data set: gender-related count, category mix of chosen and of "
        + "rejected answers, and the flagged pairs (gender-related, biased chosen answer)."})
public final class TaxonomyAuditCommand implements Callable<Integer>, Validated {

  @Spec CommandSpec spec;

  @Check.InputFile
  @Option(names = "--in", required = true, paramLabel = "PATH", description = "Data set (.gz accepted where the format allows).")
  Path in;

  @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "hh, trl, genderalign or csv.")
  String format;

  @Check.OutputFile
  @Option(names = "--out", defaultValue = "taxonomy-audit.flagged.jsonl", paramLabel = "PATH",
      description = "Flagged pairs, annotated TRL JSONL (default: ${DEFAULT-VALUE}); the report goes to <out>.report.json.")
  Path out;

  @Mixin PairJobOptions job;

  /** An empty input is an error before the classifier loads. */
  @Override
  public void validate() {
    try {
      PairFiles.requireRecords(in, Formats.pairs(format), "pairs");
    } catch (IllegalArgumentException e) {
      throw new BadUsageException("--format: " + e.getMessage());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public Integer call() throws IOException {
    ErrorPolicy policy = job.policy();
    int nThreads = job.threads();
    DataRoot root = GenderAlignCli.root(spec).dataRoot();
    AuditReport report = new AuditReport();
    long[] skipped = new long[1];
    Path[] rejects = new Path[1];
    long t0 = System.nanoTime();
    Path rejectsFile = Outputs.sibling(out, ".rejects.jsonl");
    // flagged pairs, rejects, report and provenance appear together at the end, or not at all
    try (DefaultBiasClassifier clf = DefaultBiasClassifier.create(root); AtomicFiles.Batch batch = AtomicFiles.batch()) {
      PairJudge judge = new PairJudge(clf, GenderRelatednessDetector.create(root));
      Path rejectsTmp = batch.add(rejectsFile);
      batch.write(out, tmp -> {
        try (PairInput input = new PairInput(format, in, policy, rejectsTmp, "audit");
             RecordWriter<PreferencePair> w = new TrlFormat().writer(tmp)) {
          judge.judgeAll(input, nThreads, j -> {
            report.add(j);
            if (j.flagged()) {
              try {
                w.write(j.annotated());
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
          });
          skipped[0] = input.skipped();
          rejects[0] = input.rejectsPath() == null ? null : rejectsFile;
        }
      });
      Outputs.rejects(batch, rejectsFile, skipped[0]);
      Map<String, Object> r = new LinkedHashMap<>(report.metrics());
      r.put("skipped", skipped[0]);
      batch.writeString(Outputs.sibling(out, ".report.json"), Outputs.json(r) + "\n");
      Outputs.provenance(batch, "taxonomy audit", new AuditConfig(format, in.toAbsolutePath().normalize().toString(),
          out.toAbsolutePath().normalize().toString(), nThreads, GenderRelatednessDetector.DEFAULT_THRESHOLD), null,
          in, out);
      batch.commit();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    PrintWriter o = spec.commandLine().getOut();
    o.printf(Locale.ROOT, "audit of %s (%s), %.1f s%n", in.getFileName(), format, secs);
    o.print(report.render());
    if (skipped[0] > 0) {
      o.printf("skipped %d bad records: %s%n", skipped[0], rejects[0]);
    }
    o.printf("flagged pairs: %s%nreport: %s%n", out, Outputs.sibling(out, ".report.json"));
    o.flush();
    return 0;
  }

  /** What an audit ran with, for its provenance. */
  record AuditConfig(String format, String in, String out, int threads, double relatednessThreshold) {}
}

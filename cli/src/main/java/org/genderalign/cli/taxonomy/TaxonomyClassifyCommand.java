package org.genderalign.cli.taxonomy;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
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
import org.genderalign.taxonomy.BiasCategory;
import org.genderalign.taxonomy.DefaultBiasClassifier;
import org.genderalign.taxonomy.GenderRelatednessDetector;
import org.genderalign.taxonomy.audit.PairJudge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign taxonomy classify}: adds {@code chosen_category}, {@code rejected_category},
 * {@code chosen_confidence}, {@code rejected_confidence}, {@code gender_related} and an
 * {@code explanation} object to every pair and writes TRL JSONL.
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
    description = {"Label the chosen and rejected answer of every pair with a bias category.",
        "Writes TRL JSONL with chosen_category, rejected_category, chosen_confidence, "
            + "rejected_confidence, gender_related and explanation added to each pair."})
public final class TaxonomyClassifyCommand implements Callable<Integer>, Validated {

  @Spec CommandSpec spec;

  @Check.InputFile
  @Option(names = "--in", required = true, paramLabel = "PATH", description = "Input pairs.")
  Path in;

  @Check.OutputFile
  @Option(names = "--out", required = true, paramLabel = "PATH", description = "Output TRL JSONL.")
  Path out;

  @Option(names = "--format", defaultValue = "trl", paramLabel = "FORMAT",
      description = "Input format: trl (default), hh, genderalign, csv.")
  String format;

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
    if (Files.exists(out) && Files.exists(in) && Files.isSameFile(in, out)) {
      throw new BadUsageException("--out must differ from --in (" + in + ")");
    }
    DataRoot root = GenderAlignCli.root(spec).dataRoot();
    Map<BiasCategory, Long> chosenMix = new EnumMap<>(BiasCategory.class);
    Map<BiasCategory, Long> rejectedMix = new EnumMap<>(BiasCategory.class);
    long[] related = new long[1];
    long n;
    long skipped;
    Path rejects;
    long t0 = System.nanoTime();
    Path rejectsFile = Outputs.sibling(out, ".rejects.jsonl");
    // labelled pairs, rejects and provenance appear together at the end, or not at all
    try (DefaultBiasClassifier clf = DefaultBiasClassifier.create(root); AtomicFiles.Batch batch = AtomicFiles.batch()) {
      PairJudge judge = new PairJudge(clf, GenderRelatednessDetector.create(root));
      long[] counts = new long[2];
      Path[] rej = new Path[1];
      Path rejectsTmp = batch.add(rejectsFile);
      batch.write(out, tmp -> {
        try (PairInput input = new PairInput(format, in, policy, rejectsTmp, "classify");
             RecordWriter<PreferencePair> w = new TrlFormat().writer(tmp)) {
          counts[0] = judge.judgeAll(input, nThreads, j -> {
            try {
              w.write(j.annotated());
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            chosenMix.merge(j.chosen().category(), 1L, Long::sum);
            rejectedMix.merge(j.rejected().category(), 1L, Long::sum);
            related[0] += j.genderRelated() ? 1 : 0;
          });
          counts[1] = input.skipped();
          rej[0] = input.rejectsPath() == null ? null : rejectsFile;
        }
      });
      n = counts[0];
      skipped = counts[1];
      rejects = rej[0];
      Outputs.rejects(batch, rejectsFile, skipped);
      Outputs.provenance(batch, "taxonomy classify", new ClassifyConfig(format,
          in.toAbsolutePath().normalize().toString(), out.toAbsolutePath().normalize().toString(), nThreads,
          policy.name().toLowerCase(Locale.ROOT), "DefaultBiasClassifier (defaults)", n, skipped), null, in, out);
      batch.commit();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    PrintWriter o = spec.commandLine().getOut();
    o.printf(Locale.ROOT, "classified %d pairs, skipped %d (%.1f s) -> %s%n", n, skipped, secs, out);
    o.printf(Locale.ROOT, "gender-related: %d; chosen biased: %d; rejected biased: %d%n", related[0],
        n - chosenMix.getOrDefault(BiasCategory.NONE, 0L), n - rejectedMix.getOrDefault(BiasCategory.NONE, 0L));
    o.printf("rejected categories: %s%n", ids(rejectedMix));
    if (rejects != null) {
      o.printf("rejected records: %s%n", rejects);
    }
    o.flush();
    return 0;
  }

  static String ids(Map<BiasCategory, Long> m) {
    StringBuilder sb = new StringBuilder();
    for (BiasCategory c : BiasCategory.values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(c.id()).append('=').append(m.getOrDefault(c, 0L));
    }
    return sb.toString();
  }

  /** What a classification ran with and did, for its provenance. */
  record ClassifyConfig(String format, String in, String out, int threads, String onError, String classifier,
      long classified, long skipped) {}
}

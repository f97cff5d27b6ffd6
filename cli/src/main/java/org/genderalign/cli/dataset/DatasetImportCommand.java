package org.genderalign.cli.dataset;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.genderalign.cli.BadUsageException;
import org.genderalign.cli.Check;
import org.genderalign.cli.Validated;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.data.SftExample;
import org.genderalign.core.format.AlpacaFormat;
import org.genderalign.core.format.ErrorPolicy;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.HhFormat;
import org.genderalign.core.format.ImportResult;
import org.genderalign.core.format.Importer;
import org.genderalign.core.format.RecordFormat;
import org.genderalign.core.format.TrlConversationalFormat;
import org.genderalign.core.format.TrlFormat;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.provenance.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign dataset import}: converts a file of a public format into the project's
 * JSON Lines. Preference pairs ({@code genderalign, hh, trl, csv, trl-conversational}) become TRL JSONL
 * ({@code id, prompt, chosen, rejected, …}), in TRL's standard shape or, with
 * {@code --to trl-conversational}, its conversational one; SFT data ({@code alpaca, trl-chosen}) becomes
 * Alpaca JSONL ({@code id, instruction, input, output}). Writes {@code <out>.provenance.json}
 * beside the output. With {@code --on-error skip}, bad records go to {@code <out>.rejects.jsonl}.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Convert a data file to the project's JSONL: preference pairs to TRL JSONL "
        + "{id, prompt, chosen, rejected, …}; SFT data to Alpaca JSONL {id, instruction, input, output}.",
        "Prints 'imported N, skipped M'. Bad input: exit 2 and nothing is written at --out."})
public final class DatasetImportCommand implements Callable<Integer>, Validated {

  @Spec CommandSpec spec;

  @Option(names = "--format", required = true, paramLabel = "FORMAT",
      description = "Input format: genderalign, hh, trl, csv, trl-conversational (preference pairs); "
          + "alpaca, trl-chosen (SFT).")
  String format;

  @Option(names = "--to", paramLabel = "FORMAT",
      description = "Output format of preference pairs: trl (TRL's standard shape, default) or trl-conversational "
          + "(TRL's conversational shape: prompt a list of messages, chosen/rejected one assistant message each).")
  String to;

  /** Output formats of preference pairs. */
  static final java.util.List<String> PAIR_OUTPUTS = java.util.List.of(TrlFormat.NAME, TrlConversationalFormat.NAME);

  @Check.InputFile
  @Option(names = "--in", required = true, paramLabel = "PATH", description = "Input file (.gz accepted).")
  Path in;

  @Check.OutputFile
  @Option(names = "--out", required = true, paramLabel = "PATH", description = "Output JSONL file.")
  Path out;

  @Option(names = "--on-error", defaultValue = "fail", paramLabel = "fail|skip",
      description = "fail: stop at the first bad record (default); skip: write bad records to "
          + "<out>.rejects.jsonl and go on.")
  String onError;

  @Override
  public void validate() {
    policy();
    if (!Formats.pairFormatNames().contains(format) && !Formats.sftFormatNames().contains(format)) {
      throw new BadUsageException("unknown --format '" + format + "'; known: "
          + String.join(", ", Formats.pairFormatNames()) + " (preference pairs), "
          + String.join(", ", Formats.sftFormatNames()) + " (SFT)");
    }
    if (to != null && !PAIR_OUTPUTS.contains(to)) {
      throw new BadUsageException("--to must be one of " + String.join(", ", PAIR_OUTPUTS) + ", not '" + to + "'");
    }
    if (to != null && !Formats.pairFormatNames().contains(format)) {
      throw new BadUsageException("--to applies to preference pairs; --format " + format
          + " is SFT data, written as Alpaca JSONL");
    }
    if (out.getFileName().toString().endsWith(".gz")) {
      // The writers write plain UTF-8; a .gz name on plain text would mislead other tools.
      throw new BadUsageException("--out " + out + ": gzip output is not supported; use a .jsonl name");
    }
    try {
      if (Files.exists(out) && Files.isSameFile(in, out)) {
        throw new BadUsageException("--out must differ from --in (" + in + ")");
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private ErrorPolicy policy() {
    return switch (onError.toLowerCase(Locale.ROOT)) {
      case "fail" -> ErrorPolicy.FAIL;
      case "skip" -> ErrorPolicy.SKIP;
      default -> throw new BadUsageException("--on-error must be fail or skip, not '" + onError + "'");
    };
  }

  @Override
  public Integer call() throws IOException {
    ErrorPolicy policy = policy();
    PrintWriter stdout = spec.commandLine().getOut();
    ImportResult result;
    String outFormat;
    // output, rejects and provenance appear together at the end, or not at all
    try (ProgressBar bar = progressBar(); AtomicFiles.Batch batch = AtomicFiles.batch()) {
      LongConsumer progress = bar == null ? n -> { } : bar::stepTo;
      if (Formats.pairFormatNames().contains(format)) {
        RecordFormat<PreferencePair> f = Formats.pairs(format);
        outFormat = to == null ? TrlFormat.NAME : to;
        result = Importer.run(f, in, Formats.pairs(outFormat), out, policy, progress, batch);
      } else if (Formats.sftFormatNames().contains(format)) {
        RecordFormat<SftExample> f = Formats.sft(format);
        outFormat = AlpacaFormat.NAME + " (JSONL)";
        result = Importer.run(f, in, new AlpacaFormat(), out, policy, progress, batch);
      } else {
        throw new BadUsageException("unknown --format '" + format + "'; known: "
            + String.join(", ", Formats.pairFormatNames()) + " (preference pairs), "
            + String.join(", ", Formats.sftFormatNames()) + " (SFT)");
      }
      writeProvenance(batch, policy, outFormat, result);
      batch.commit();
    }
    stdout.printf("%s (%s → %s: %s)%n", result.summary(), format, outFormat, out);
    if (result.skipped() > 0) {
      stdout.printf("rejected records: %s%n", result.rejects());
    }
    if (result.imported() == 0 && result.skipped() > 0) {
      stdout.printf("warning: every record was rejected; is --format %s right for %s?%n", format, in.getFileName());
    }
    Long mismatches = result.flagged().get(HhFormat.PROMPT_MISMATCH);
    if (mismatches != null) {
      stdout.printf("warning: %d pairs have chosen and rejected transcripts that differ before the last "
          + "Assistant turn; kept the chosen's prompt (metadata prompt_mismatch=true, rejected_prompt)%n", mismatches);
    }
    stdout.flush();
    return 0;
  }

  /**
   * What an import ran with and did, for its provenance.
   *
   * @param format input format
   * @param in input file (absolute)
   * @param out output file (absolute)
   * @param outFormat output format
   * @param onError fail or skip
   * @param imported records written
   * @param skipped records written to the rejects file
   * @param flagged imported records with a warning flag, by flag
   */
  record ImportConfig(String format, String in, String out, String outFormat, String onError, long imported,
      long skipped, Map<String, Long> flagged) {}

  private void writeProvenance(AtomicFiles.Batch batch, ErrorPolicy policy, String outFormat, ImportResult result)
      throws IOException {
    ImportConfig config = new ImportConfig(format, in.toAbsolutePath().normalize().toString(),
        out.toAbsolutePath().normalize().toString(), outFormat, policy.name().toLowerCase(Locale.ROOT),
        result.imported(), result.skipped(), result.flagged());
    Provenance p = Provenance.of("dataset import", config, null).withInput(in.getFileName().toString(), in);
    batch.writeString(out.resolveSibling(out.getFileName() + ".provenance.json"),
        new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(p)
            + "\n");
  }

  /** A record counter on stderr when a person is watching; nothing in scripts and tests. */
  private ProgressBar progressBar() {
    if (System.console() == null) {
      return null;
    }
    return new ProgressBarBuilder().setTaskName("import " + in.getFileName()).setInitialMax(-1)
        .setUnit(" records", 1).setUpdateIntervalMillis(500)
        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
  }
}

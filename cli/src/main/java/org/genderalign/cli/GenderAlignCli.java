package org.genderalign.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.genderalign.cli.data.DataCommand;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.lifecycle.GracefulStop;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code genderalign} command. Subcommands are thin: they parse options into the same
 * config records the library takes and call the library.
 *
 * <p>Exit codes: 0 success; 2 bad usage or bad input (one clear line); 1 any other failure
 * (one line; the stack trace only with {@code --verbose}).
 */
@Command(
    name = "genderalign",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Build a GenderAlign-style preference data set, align models on it with DPO, "
        + "and measure gender bias.",
    subcommands = {
        org.genderalign.cli.pipeline.PipelineCommand.class,
        DataCommand.class,
        org.genderalign.cli.dataset.DatasetCommand.class,
        org.genderalign.cli.bench.BenchCommand.class,
        org.genderalign.cli.taxonomy.TaxonomyCommand.class,
        org.genderalign.cli.train.TrainCommand.class,
        org.genderalign.cli.model.GenerateCommand.class,
        org.genderalign.cli.model.ScoreCommand.class,
        org.genderalign.cli.eval.EvalCommand.class,
        CommandLine.HelpCommand.class
    })
public final class GenderAlignCli implements Runnable {

  /** Exit code for bad usage or bad input. */
  public static final int EXIT_BAD_INPUT = 2;
  /** Exit code for other failures. */
  public static final int EXIT_FAILURE = 1;
  /** Stopped by SIGTERM at a safe point (the signal's own status, 128 + 15). */
  public static final int EXIT_STOPPED = 143;

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Print stack traces and extra detail on errors.")
  boolean verbose;

  @Option(names = "--data-root", scope = ScopeType.INHERIT, paramLabel = "DIR",
      description = "Folder with external data and models (default: $GENDERALIGN_DATA_ROOT, "
          + "else data/external).")
  Path dataRoot;

  @CommandLine.Spec
  CommandSpec spec;

  public static void main(String[] args) {
    // SIGTERM / Ctrl-C: training stops at its next step boundary, saves, and unwinds before the
    // JVM exits (exiting inside libtorch crashes the process)
    GracefulStop.install(GracefulStop.DEFAULT_GRACE, System.err);
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    GracefulStop.finished();
    System.exit(code);
  }

  /** Runs the CLI with the given streams and returns the exit code (tests call this). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    GpuProbeLog.configure(args);
    GenderAlignCli root = new GenderAlignCli();
    CommandLine cl = new CommandLine(root);
    UpFrontChecks.install(cl); // every option of the command checked before it starts
    cl.setOut(out);
    cl.setErr(err);
    cl.setExitCodeExceptionMapper(ErrorHandler::exitCode);
    cl.setExecutionExceptionHandler(new ErrorHandler(root));
    cl.setParameterExceptionHandler(new ErrorHandler(root));
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The data root chosen by {@code --data-root}, the environment, or the default. */
  public DataRoot dataRoot() {
    return DataRoot.resolve(dataRoot);
  }

  /** The {@code --data-root} given on the command line, or null. */
  public Path dataRootOption() {
    return dataRoot;
  }

  public boolean verbose() {
    return verbose;
  }

  /** The root command object of any subcommand's spec. */
  public static GenderAlignCli root(CommandSpec spec) {
    return (GenderAlignCli) spec.root().userObject();
  }
}

package org.genderalign.cli;

import java.io.PrintWriter;
import org.genderalign.core.error.ErrorLines;
import org.genderalign.core.lifecycle.GracefulStop;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into one clear line on stderr and the documented exit code: bad usage and
 * bad input → 2, anything else → 1. {@code --verbose} adds the stack trace.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

  private final GenderAlignCli root;

  ErrorHandler(GenderAlignCli root) {
    this.root = root;
  }

  /** Exceptions that mean "the user's input or usage is wrong". */
  static boolean isBadInput(Throwable e) {
    return ErrorLines.isBadInput(e)
        || e instanceof BadUsageException
        || e instanceof ParameterException;
  }

  static int exitCode(Throwable e) {
    return isBadInput(e) ? GenderAlignCli.EXIT_BAD_INPUT : GenderAlignCli.EXIT_FAILURE;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cl, ParseResult parseResult) {
    PrintWriter err = cl.getErr();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof GracefulStop.StoppedException stopped) {
        err.println(stopped.getMessage()); // not an error: what was saved and how to go on
        err.flush();
        return GenderAlignCli.EXIT_STOPPED;
      }
    }
    err.println("error: " + oneLine(e));
    if (root.verbose()) {
      e.printStackTrace(err);
    } else if (!isBadInput(e) && !(e instanceof org.genderalign.core.io.OutputException)) {
      err.println("(run with --verbose for the stack trace)");
    }
    err.flush();
    return exitCode(e);
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    java.io.StringWriter suggestions = new java.io.StringWriter();
    if (CommandLine.UnmatchedArgumentException.printSuggestions(e, new PrintWriter(suggestions, true))) {
      err.println("error: " + e.getMessage());
      err.print(suggestions);
    } else {
      // one line: the problem (the option named as typed) and where the usage is
      err.println("error: " + asTyped(e, args).replace('\n', ' ') + " (see '"
          + cl.getCommandSpec().qualifiedName() + " --help')");
    }
    if (root.verbose()) {
      e.printStackTrace(err);
    }
    err.flush();
    return GenderAlignCli.EXIT_BAD_INPUT;
  }

  /**
   * picocli names an option by its longest name; a user who typed an alias ({@code --lr} for
   * {@code --learning-rate}) should read the name they typed.
   */
  static String asTyped(ParameterException e, String[] args) {
    String msg = e.getMessage();
    if (!(e.getArgSpec() instanceof picocli.CommandLine.Model.OptionSpec o) || args == null) {
      return msg;
    }
    String reported = o.longestName();
    for (String a : args) {
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      if (!name.equals(reported) && java.util.Arrays.asList(o.names()).contains(name)) {
        return msg.replace("'" + reported + "'", "'" + name + "'");
      }
    }
    return msg;
  }

  private static String oneLine(Throwable e) {
    if (e instanceof BadUsageException) {
      String msg = e.getMessage();
      return msg == null || msg.isBlank() ? "BadUsageException" : msg.replace('\n', ' ');
    }
    return ErrorLines.oneLine(e);
  }
}

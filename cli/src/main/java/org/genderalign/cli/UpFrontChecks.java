package org.genderalign.cli;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.trainer.loader.ModelLoader;
import picocli.CommandLine;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Validates every option of the command about to run before it runs: first the declarative
 * {@link Check}s on its option fields (its mixins' included), then its own
 * {@link Validated#validate()} (option combinations, its config record). A failure is one line
 * naming the option as the user typed it, exit 2 — before any data is read, any model loaded or
 * any output written. Help and version requests are not validated.
 */
public final class UpFrontChecks implements IExecutionStrategy {

  private final IExecutionStrategy next;

  public UpFrontChecks(IExecutionStrategy next) {
    this.next = next;
  }

  @Override
  public int execute(ParseResult parseResult) {
    ParseResult last = parseResult;
    boolean help = parseResult.isUsageHelpRequested() || parseResult.isVersionHelpRequested();
    while (last.hasSubcommand()) {
      last = last.subcommand();
      help |= last.isUsageHelpRequested() || last.isVersionHelpRequested();
    }
    if (!help) {
      try {
        check(last);
        if (last.commandSpec().userObject() instanceof Validated v) {
          v.validate();
        }
      } catch (BadUsageException | InvalidInputException e) {
        throw new ExecutionException(last.commandSpec().commandLine(), e.getMessage(), e);
      }
    }
    return next.execute(parseResult);
  }

  /** Runs the {@link Check}s of every option of {@code pr}'s command. */
  static void check(ParseResult pr) {
    for (OptionSpec o : pr.commandSpec().options()) {
      if (!(o.userObject() instanceof Field f)) {
        continue;
      }
      Object value = o.getValue();
      if (value == null) {
        continue;
      }
      String name = OptionNames.typed(pr, o);
      if (value instanceof Path p) {
        if (f.isAnnotationPresent(Check.InputFile.class)) {
          inputFile(name, p);
        }
        if (f.isAnnotationPresent(Check.OutputFile.class)) {
          outputFile(name, p);
        }
        if (f.isAnnotationPresent(Check.OutputDir.class)) {
          outputDir(name, p);
        }
      }
      if (value instanceof String s && f.isAnnotationPresent(Check.Model.class)) {
        model(name, s);
      }
      if (value instanceof Number n) {
        Check.Min min = f.getAnnotation(Check.Min.class);
        if (min != null && !(n.doubleValue() >= min.value())) {
          throw new BadUsageException(name + " must be at least " + number(min.value()) + ", got " + n);
        }
        Check.Above above = f.getAnnotation(Check.Above.class);
        if (above != null && !(n.doubleValue() > above.value())) {
          throw new BadUsageException(name + " must be greater than " + number(above.value()) + ", got " + n);
        }
      }
    }
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  static void inputFile(String option, Path p) {
    if (Files.isDirectory(p)) {
      throw new BadUsageException(option + " " + p + ": is a folder; expected a file");
    }
    if (!Files.exists(p)) {
      throw new BadUsageException(option + " " + p + ": no such file");
    }
    if (!Files.isReadable(p)) {
      throw new BadUsageException(option + " " + p + ": not readable");
    }
  }

  static void outputFile(String option, Path p) {
    if (Files.isDirectory(p)) {
      throw new BadUsageException(option + " " + p + ": is a folder; expected a file name");
    }
    writableFolder(option, p, p.toAbsolutePath().getParent());
  }

  static void outputDir(String option, Path p) {
    if (Files.exists(p) && !Files.isDirectory(p)) {
      throw new BadUsageException(option + " " + p + ": is a file; expected a folder");
    }
    writableFolder(option, p, p.toAbsolutePath());
  }

  /** {@code dir}, or the nearest folder above it that exists, must be a writable folder. */
  private static void writableFolder(String option, Path p, Path dir) {
    Path d = dir;
    while (d != null && !Files.exists(d)) {
      d = d.getParent();
    }
    if (d == null) {
      return;
    }
    if (!Files.isDirectory(d)) {
      throw new BadUsageException(option + " " + p + ": " + d + " is a file, not a folder");
    }
    if (!Files.isWritable(d)) {
      throw new BadUsageException(option + " " + p + ": folder " + d + " is not writable");
    }
  }

  static void model(String option, String m) {
    String lower = m.toLowerCase(Locale.ROOT);
    for (String s : ModelLoader.shortNames()) {
      if (s.toLowerCase(Locale.ROOT).equals(lower)) {
        return;
      }
    }
    if (!Files.exists(Path.of(m))) {
      throw new BadUsageException(option + " " + m + ": no such file or folder, and not a short name ("
          + String.join(", ", ModelLoader.shortNames()) + ")");
    }
  }

  /** Installs the checks on a command line (before its own strategy). */
  public static void install(CommandLine cl) {
    cl.setExecutionStrategy(new UpFrontChecks(cl.getExecutionStrategy()));
  }
}

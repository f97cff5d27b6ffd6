package org.genderalign.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declarative checks on command options, run by {@link UpFrontChecks} for every command before
 * it starts any work; a failure is one line naming the option as the user typed it, exit 2.
 *
 * <pre>
 *   &#64;Check.InputFile &#64;Option(names = "--in", …) Path in;
 *   &#64;Check.OutputDir &#64;Option(names = "--out", …) Path out;
 *   &#64;Check.Min(1) &#64;Option(names = "--steps", …) Long steps;
 * </pre>
 *
 * Checks apply to options that have a value (given, or defaulted); cross-option and config
 * checks go in {@link Validated#validate()}.
 */
public final class Check {

  private Check() {}

  /** A file that is read: it must exist and be a regular file (not a folder). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface InputFile {}

  /**
   * A file that is written: it must not be a folder, and the folder it goes in must be a
   * writable folder (or creatable in one).
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface OutputFile {}

  /** A folder that is written into: it must not be a file, and must be writable or creatable. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface OutputDir {}

  /** A model named on the command line: a short name of the data root, or an existing path. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface Model {}

  /** A number at least {@code value}. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface Min {
    double value();
  }

  /** A number greater than {@code value}. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface Above {
    double value();
  }
}

package org.genderalign.cli;

/**
 * A command with checks of its own (option combinations, its config record built from the
 * options), run by {@link UpFrontChecks} after the declarative {@link Check}s and before the
 * command does any work.
 */
public interface Validated {

  /**
   * @throws BadUsageException (or {@link org.genderalign.core.error.InvalidInputException}) with
   *     one line naming the options as typed ({@link OptionNames#typed})
   */
  void validate();
}

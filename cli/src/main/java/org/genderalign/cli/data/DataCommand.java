package org.genderalign.cli.data;

import picocli.CommandLine.Command;

/** {@code genderalign data}: the external data sets and model files. */
@Command(name = "data", mixinStandardHelpOptions = true,
    description = "Verify or fetch the external data sets and model files (the data root).",
    subcommands = {DataVerifyCommand.class, DataFetchCommand.class, DataListCommand.class})
public final class DataCommand {}

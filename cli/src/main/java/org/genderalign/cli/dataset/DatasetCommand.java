package org.genderalign.cli.dataset;

import picocli.CommandLine.Command;

/** {@code genderalign dataset}: preference data sets — import from public formats, statistics. */
@Command(name = "dataset", mixinStandardHelpOptions = true,
    description = "Import preference / SFT data from public formats and summarise data sets.",
    subcommands = {
        DatasetImportCommand.class,
        DatasetStatsCommand.class,
        DatasetBuildCommand.class
    })
public final class DatasetCommand {}

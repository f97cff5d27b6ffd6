package org.genderalign.cli.bench;

import picocli.CommandLine.Command;

/**
 * {@code genderalign bench}: benchmarks that print measured figures (speed, memory). Speed and
 * memory targets live here, never in timed unit tests.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks: training step speed, memory, model and scoring throughput, generation speed, GRPO.",
    subcommands = {
        org.genderalign.cli.model.BenchModelCommand.class,
        BenchDpoCommand.class,
        BenchSftMemoryCommand.class,
        BenchGenerateCommand.class,
        BenchScoreCommand.class,
        BenchGrpoCommand.class
    })
public final class BenchCommand {}

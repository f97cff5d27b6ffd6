package org.genderalign.cli.train;

import picocli.CommandLine.Command;

/** {@code genderalign train}: supervised fine-tuning and preference optimisation. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a model: SFT (completion-only), DPO and its variants, or KTO.",
    subcommands = {TrainSftCommand.class, TrainDpoCommand.class, TrainKtoCommand.class})
public final class TrainCommand {}

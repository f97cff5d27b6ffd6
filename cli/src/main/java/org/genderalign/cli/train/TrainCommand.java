package org.genderalign.cli.train;

import picocli.CommandLine.Command;

/** {@code genderalign train}: supervised fine-tuning and preference optimisation. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a model: SFT (completion-only), DPO and its variants, KTO, or a reward model.",
    subcommands = {TrainSftCommand.class, TrainDpoCommand.class, TrainKtoCommand.class, TrainRewardCommand.class})
public final class TrainCommand {}

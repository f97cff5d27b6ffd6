package org.genderalign.cli.train;

import picocli.CommandLine.Command;

/** {@code genderalign train}: supervised fine-tuning and preference optimisation. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a model: SFT (completion-only), DPO and its variants, KTO, a reward model, or GRPO.",
    subcommands = {TrainSftCommand.class, TrainDpoCommand.class, TrainKtoCommand.class, TrainRewardCommand.class,
        TrainGrpoCommand.class})
public final class TrainCommand {}

package org.genderalign.cli.train;

import java.util.List;
import org.genderalign.trainer.lora.LoraConfig;
import picocli.CommandLine.Option;

/** The LoRA options of a training command ({@code --lora-rank} turns LoRA on). */
public final class LoraOptions {

  @Option(names = "--lora-rank", paramLabel = "R", description = "Train LoRA adapters of this rank (base frozen).")
  Integer rank;

  @Option(names = "--lora-alpha", paramLabel = "A", description = "LoRA alpha (default 16).")
  Double alpha;

  @Option(names = "--lora-dropout", paramLabel = "P", description = "LoRA dropout (default 0.05).")
  Double dropout;

  @Option(names = "--lora-targets", paramLabel = "LIST", split = ",",
      description = "Projections to adapt (default wq,wk,wv,wo,w1,w2,w3; HF names accepted).")
  List<String> targets;

  /** The LoRA settings, or null without {@code --lora-rank} (full fine-tuning). */
  public LoraConfig toConfig() {
    return rank == null ? null : new LoraConfig(rank, alpha != null ? alpha : LoraConfig.DEFAULT_ALPHA,
        dropout != null ? dropout : LoraConfig.DEFAULT_DROPOUT, targets != null ? targets : LoraConfig.DEFAULT_TARGETS);
  }
}

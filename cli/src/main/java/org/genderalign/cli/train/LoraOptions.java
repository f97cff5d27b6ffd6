package org.genderalign.cli.train;

import java.util.List;
import org.genderalign.trainer.lora.LoraConfig;
import picocli.CommandLine.Option;

/** LoRA options shared by {@code train dpo}, {@code train kto} and {@code train reward}; null fields were not given. */
public final class LoraOptions {

  @Option(names = "--lora-rank", paramLabel = "R", description = "Train LoRA adapters of this rank (base frozen).")
  Integer loraRank;

  @Option(names = "--lora-alpha", paramLabel = "A", description = "LoRA alpha: the adapter update is scaled by alpha / rank (default 16; 256 with train dpo "
          + "--preset paper). See docs/lora.md.")
  Double loraAlpha;

  @Option(names = "--lora-dropout", paramLabel = "P", description = "LoRA dropout (default 0.05).")
  Double loraDropout;

  @Option(names = "--lora-targets", paramLabel = "LIST", split = ",",
      description = "Projections to adapt (default wq,wk,wv,wo,w1,w2,w3; HF names accepted).")
  List<String> loraTargets;

  /**
   * The LoRA config, or null for full fine-tuning: explicit options, else the preset's rank and
   * alpha (either may be null), else the defaults.
   */
  LoraConfig toConfig(Integer presetRank, Double presetAlpha) {
    Integer rank = loraRank != null ? loraRank : presetRank;
    if (rank == null) {
      return null;
    }
    return new LoraConfig(rank,
        loraAlpha != null ? loraAlpha : (presetAlpha != null ? presetAlpha : LoraConfig.DEFAULT_ALPHA),
        loraDropout != null ? loraDropout : LoraConfig.DEFAULT_DROPOUT,
        loraTargets != null ? loraTargets : LoraConfig.DEFAULT_TARGETS);
  }

  /** The LoRA config without a preset: null without {@code --lora-rank} (full fine-tuning). */
  public LoraConfig toConfig() {
    return toConfig(null, null);
  }
}

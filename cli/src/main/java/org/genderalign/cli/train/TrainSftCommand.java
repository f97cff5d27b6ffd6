package org.genderalign.cli.train;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.genderalign.cli.Check;
import org.genderalign.cli.OptionNames;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.sft.SftTrainer;
import org.genderalign.trainer.lora.LoraConfig;
import org.genderalign.trainer.training.TrainingConfig;
import org.genderalign.trainer.training.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code genderalign train sft}: completion-only supervised fine-tuning (the paper's Alpaca "Base"). */
@Command(name = "sft", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Supervised fine-tuning with completion-only loss on Alpaca records or the chosen answers of pairs.")
public final class TrainSftCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ModelOptions modelOptions;

  @Check.InputFile
  @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training examples.")
  Path data;

  @Option(names = "--format", paramLabel = "F", defaultValue = "alpaca",
      description = "alpaca or trl-chosen (default alpaca).")
  String format;

  @Option(names = "--eval-fraction", paramLabel = "F", defaultValue = "0",
      description = "Hold out this fraction of --data for evaluation (seeded split).")
  double evalFraction;

  @Check.OutputDir
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--max-length", paramLabel = "L", defaultValue = "512", description = "Max tokens per example (default 512).")
  int maxLength;

  @Option(names = "--lora-rank", paramLabel = "R", description = "Train LoRA adapters of this rank (base frozen).")
  Integer loraRank;

  @Option(names = "--lora-alpha", paramLabel = "A",
      description = "LoRA alpha: the adapter update is scaled by alpha / rank (default 16). See docs/lora.md.")
  Double loraAlpha;

  @Option(names = "--lora-dropout", paramLabel = "P", description = "LoRA dropout (default 0.05).")
  Double loraDropout;

  @Mixin TrainingOptions training;

  @Override
  public Integer call() throws Exception {
    DataRoot root = GenderAlignCli.root(spec).dataRoot();
    PrintWriter outw = spec.commandLine().getOut();
    SftTrainer.Config cfg;
    try {
      TrainingConfig tc = training.toConfig(TrainingOptions.Preset.NONE, SftTrainer.DEFAULT_LEARNING_RATE);
      LoraConfig lora = loraRank == null ? null : new LoraConfig(loraRank,
          loraAlpha != null ? loraAlpha : LoraConfig.DEFAULT_ALPHA,
          loraDropout != null ? loraDropout : LoraConfig.DEFAULT_DROPOUT, LoraConfig.DEFAULT_TARGETS);
      cfg = new SftTrainer.Config(tc, lora, maxLength, format, out, training.resume);
    } catch (IllegalArgumentException e) {
      throw OptionNames.badUsage(spec, SFT_OPTIONS, e);
    }
    List<org.genderalign.core.data.SftExample> all = TrainData.sft(data, format);
    List<List<org.genderalign.core.data.SftExample>> s = TrainData.split(all, evalFraction, cfg.training().seed());
    Provenance prov = Provenance.of("train sft", new RunRecord(cfg, modelOptions.model, modelOptions.devices,
        modelOptions.precision), cfg.training().seed()).withInput("data", data);
    SftTrainer.Report r = SftTrainer.run(cfg, modelOptions.deviceList(), () -> modelOptions.load(root, cfg.lora() != null), s.get(0), s.get(1),
        prov, null);
    TrainingResult res = r.result();
    outw.printf("trained %d steps on %d examples (%d held out; %d dropped)%n", res.steps(), r.trainExamples(),
        r.evalExamples(), r.droppedIds().size());
    if (!r.dropCounts().isEmpty()) {
      StringBuilder why = new StringBuilder();
      r.dropCounts().forEach((reason, n) -> why.append(why.length() == 0 ? "" : ", ").append(n).append(' ')
          .append(reason.equals(org.genderalign.trainer.sft.SftEncoder.PROMPT_FILLS_MAX_LENGTH)
              ? "whose prompt alone fills --max-length " + maxLength : "with " + reason));
      outw.printf("dropped %d of %d training examples: %s (ids and reasons in %s)%n",
          r.dropCounts().values().stream().mapToLong(Long::longValue).sum(), s.get(0).size(), why,
          out.resolve("dropped.txt"));
    }
    Map<String, Object> last = res.last("loss");
    if (last != null) {
      outw.printf("last loss %.6f  mean_token_accuracy %.3f%n", ((Number) last.get("loss")).doubleValue(),
          ((Number) last.get("mean_token_accuracy")).doubleValue());
    }
    outw.printf("tokens %d in %.1f s; final model: %s%n", res.tokens(), res.elapsedSeconds(), res.finalModel());
    outw.flush();
    return 0;
  }

  /** {@link TrainingOptions#OPTIONS} (the LoRA and length phrases included). */
  static final Map<String, String> SFT_OPTIONS = TrainingOptions.OPTIONS;

  /** What an SFT run was asked for, for its provenance: the run config and the model options. */
  record RunRecord(SftTrainer.Config run, String model, String devices, String precision) {}
}

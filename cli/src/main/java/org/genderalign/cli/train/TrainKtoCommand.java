package org.genderalign.cli.train;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.genderalign.cli.BadUsageException;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.core.data.UnpairedExample;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.kto.KtoLossConfig;
import org.genderalign.trainer.kto.KtoRunConfig;
import org.genderalign.trainer.kto.KtoTrainer;
import org.genderalign.trainer.training.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign train kto}: KTO on unpaired feedback (prompt, completion, desirable or not),
 * or on preference pairs unpaired into one desirable and one undesirable example each; same
 * output folder, checkpoints, resume and metrics file as {@code train dpo}.
 */
@Command(name = "kto", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Align a model on unpaired binary feedback with KTO (TRL's KTOTrainer): trl-unpaired data, or "
        + "preference pairs unpaired into a desirable and an undesirable example each.")
public final class TrainKtoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ModelOptions modelOptions;

  @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training examples.")
  Path data;

  @Option(names = "--data-format", paramLabel = "F", defaultValue = "trl-unpaired",
      description = "trl-unpaired ({prompt, completion, label}), or a pair format (trl, hh, genderalign, csv) whose "
          + "pairs are unpaired (default trl-unpaired).")
  String dataFormat;

  @Option(names = "--eval-data", paramLabel = "FILE", description = "Held-out examples (same format).")
  Path evalData;

  @Option(names = "--eval-fraction", paramLabel = "F", defaultValue = "0",
      description = "Hold out this fraction of --data (seeded split) when --eval-data is not given.")
  double evalFraction;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--loss", paramLabel = "NAME", defaultValue = "kto",
      description = "kto or apo_zero_unpaired (TRL's KTOConfig loss_type; default kto).")
  String loss;

  @Option(names = "--beta", paramLabel = "B", defaultValue = "0.1", description = "Beta (default 0.1).")
  double beta;

  @Option(names = "--desirable-weight", paramLabel = "W", defaultValue = "1",
      description = "Weight of the desirable examples' losses (default 1).")
  double desirableWeight;

  @Option(names = "--undesirable-weight", paramLabel = "W", defaultValue = "1",
      description = "Weight of the undesirable examples' losses (default 1).")
  double undesirableWeight;

  @Option(names = "--max-length", paramLabel = "L", description = "Max prompt + completion tokens (default 512).")
  Integer maxLength;

  @Option(names = "--prompt-template", paramLabel = "T", defaultValue = "raw", description = "raw or hh (default raw).")
  String promptTemplate;

  @Mixin LoraOptions loraOptions;

  @Mixin TrainingOptions training;

  @Override
  public Integer call() throws Exception {
    DataRoot root = GenderAlignCli.root(spec).dataRoot();
    PrintWriter outw = spec.commandLine().getOut();
    KtoRunConfig cfg;
    try {
      cfg = new KtoRunConfig(new KtoLossConfig(loss, beta, desirableWeight, undesirableWeight),
          training.toConfig(TrainingOptions.Preset.NONE, 1e-6), loraOptions.toConfig(null, null),
          maxLength != null ? maxLength : KtoRunConfig.DEFAULT_MAX_LENGTH, promptTemplate, out, training.resume);
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
    List<List<UnpairedExample>> sets = TrainData.trainAndEval(data, evalData, evalFraction, cfg.training().seed(),
        f -> TrainData.unpaired(f, dataFormat));
    Provenance prov = TrainData.provenance("train kto", cfg, cfg.training().seed(), modelOptions, dataFormat,
        evalFraction, data, evalData, Map.of());
    KtoTrainer.Report r = KtoTrainer.run(cfg, modelOptions.deviceList(),
        () -> modelOptions.load(root, cfg.lora() != null), sets.get(0), sets.get(1), prov, null);
    TrainingResult res = r.result();
    outw.printf("trained %d steps on %d examples (%d desirable, %d undesirable; %d held out; %d dropped, %d truncated); "
        + "reference: %s%n", res.steps(), r.trainExamples(), r.desirable(), r.undesirable(), r.evalExamples(),
        r.droppedIds().size(), r.truncated(), r.referenceMode());
    if (r.weightAdvice() != null) {
      outw.printf("note: %s%n", r.weightAdvice());
    }
    if (res.resumedFrom() > 0) {
      outw.printf("resumed from step %d%n", res.resumedFrom());
    }
    printLast(outw, res, "");
    printLast(outw, res, "eval_");
    outw.printf("tokens %d in %.1f s; final model: %s (load with --model %s)%n", res.tokens(), res.elapsedSeconds(),
        res.finalModel(), res.finalModel());
    outw.flush();
    return 0;
  }

  private static void printLast(PrintWriter outw, TrainingResult res, String prefix) {
    Map<String, Object> last = res.last(prefix + "loss");
    if (last == null) {
      return;
    }
    StringBuilder sb = new StringBuilder(prefix.isEmpty() ? "last" : "eval");
    for (String k : List.of("loss", "kl", "rewards/chosen", "rewards/rejected", "rewards/margins")) {
      Object v = last.get(prefix + k);
      if (v != null) {
        sb.append(String.format("  %s %.4f", k, ((Number) v).doubleValue()));
      }
    }
    outw.println(sb);
  }
}

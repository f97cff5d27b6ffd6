package org.genderalign.cli.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
    List<UnpairedExample> all = TrainData.unpaired(data, dataFormat);
    List<UnpairedExample> train;
    List<UnpairedExample> eval;
    if (evalData != null) {
      train = all;
      eval = TrainData.unpaired(evalData, dataFormat);
    } else {
      List<List<UnpairedExample>> s = TrainData.split(all, evalFraction, cfg.training().seed());
      train = s.get(0);
      eval = s.get(1);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> config = new LinkedHashMap<>(new ObjectMapper().convertValue(cfg, Map.class));
    config.put("model", modelOptions.model);
    config.put("devices", modelOptions.devices);
    config.put("precision", modelOptions.precision);
    config.put("dataFormat", dataFormat);
    config.put("evalFraction", evalFraction);
    Provenance prov = Provenance.of("train kto", config, cfg.training().seed()).withInput("data", data)
        .withLibrary("djl", ai.djl.engine.Engine.getDjlVersion());
    if (evalData != null) {
      prov = prov.withInput("eval-data", evalData);
    }
    KtoTrainer.Report r = KtoTrainer.run(cfg, modelOptions.deviceList(),
        () -> modelOptions.load(root, cfg.lora() != null), train, eval, prov, null);
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

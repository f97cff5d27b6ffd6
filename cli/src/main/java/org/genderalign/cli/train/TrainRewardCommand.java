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
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.lora.LoraConfig;
import org.genderalign.trainer.reward.RewardModel;
import org.genderalign.trainer.reward.RewardRunConfig;
import org.genderalign.trainer.reward.RewardTrainer;
import org.genderalign.trainer.training.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign train reward}: a Bradley–Terry reward model on preference pairs, as TRL's
 * RewardTrainer trains one, writing {@code OUT/metrics.jsonl}, {@code OUT/checkpoints/} and
 * {@code OUT/final} (a Hugging Face {@code LlamaForSequenceClassification} folder; score with
 * {@code genderalign score --reward-model OUT/final}).
 */
@Command(name = "reward", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Train a reward model (a Llama with a scalar head) on preference pairs: -log sigmoid(r_chosen - "
        + "r_rejected - margin), as TRL's RewardTrainer.")
public final class TrainRewardCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ModelOptions modelOptions;

  @Option(names = "--data", required = true, paramLabel = "FILE",
      description = "Training pairs; a numeric \"margin\" field per pair is used as TRL's margin.")
  Path data;

  @Option(names = "--data-format", paramLabel = "F", defaultValue = "trl",
      description = "Format of --data and --eval-data: trl, hh, genderalign, csv (default trl).")
  String dataFormat;

  @Option(names = "--eval-data", paramLabel = "FILE", description = "Held-out pairs for evaluation (eval_accuracy…).")
  Path evalData;

  @Option(names = "--eval-fraction", paramLabel = "F", defaultValue = "0",
      description = "Hold out this fraction of --data (seeded split) when --eval-data is not given.")
  double evalFraction;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--max-length", paramLabel = "L",
      description = "Max prompt + answer tokens; longer pairs are dropped, as TRL does (default 512).")
  Integer maxLength;

  @Option(names = "--truncate",
      description = "Cut sequences longer than --max-length to their first tokens instead of dropping the pair.")
  boolean truncate;

  @Option(names = "--prompt-template", paramLabel = "T", defaultValue = "raw", description = "raw or hh (default raw).")
  String promptTemplate;

  @Option(names = "--center-rewards-coefficient", paramLabel = "C",
      description = "Add C * mean((r_chosen + r_rejected)^2) to the loss (TRL; 0.01 recommended; default off).")
  Double centerRewardsCoefficient;

  @Option(names = "--pad-token-id", paramLabel = "ID",
      description = "Padding id of a fresh head; rewards are read at each row's last other token (default: EOS).")
  Integer padTokenId;

  @Option(names = "--lora-rank", paramLabel = "R",
      description = "Train LoRA adapters of this rank and the head (base frozen).")
  Integer loraRank;

  @Option(names = "--lora-alpha", paramLabel = "A", description = "LoRA alpha (default 16).")
  Double loraAlpha;

  @Option(names = "--lora-dropout", paramLabel = "P", description = "LoRA dropout (default 0.05).")
  Double loraDropout;

  @Option(names = "--lora-targets", paramLabel = "LIST", split = ",",
      description = "Projections to adapt (default wq,wk,wv,wo,w1,w2,w3; HF names accepted).")
  List<String> loraTargets;

  @Mixin TrainingOptions training;

  @Override
  public Integer call() throws Exception {
    DataRoot root = GenderAlignCli.root(spec).dataRoot();
    PrintWriter outw = spec.commandLine().getOut();
    RewardRunConfig cfg;
    try {
      LoraConfig lora = loraRank == null ? null : new LoraConfig(loraRank,
          loraAlpha != null ? loraAlpha : LoraConfig.DEFAULT_ALPHA,
          loraDropout != null ? loraDropout : LoraConfig.DEFAULT_DROPOUT,
          loraTargets != null ? loraTargets : LoraConfig.DEFAULT_TARGETS);
      cfg = new RewardRunConfig(training.toConfig(TrainingOptions.Preset.NONE, RewardRunConfig.DEFAULT_LEARNING_RATE),
          lora, maxLength != null ? maxLength : RewardRunConfig.DEFAULT_MAX_LENGTH, truncate, promptTemplate,
          centerRewardsCoefficient, padTokenId, out, training.resume);
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
    List<PreferencePair> all = TrainData.pairs(data, dataFormat);
    List<PreferencePair> train;
    List<PreferencePair> eval;
    if (evalData != null) {
      train = all;
      eval = TrainData.pairs(evalData, dataFormat);
    } else {
      List<List<PreferencePair>> s = TrainData.split(all, evalFraction, cfg.training().seed());
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
    Provenance prov = Provenance.of("train reward", config, cfg.training().seed()).withInput("data", data)
        .withLibrary("djl", ai.djl.engine.Engine.getDjlVersion());
    if (evalData != null) {
      prov = prov.withInput("eval-data", evalData);
    }
    RewardTrainer.Report r;
    try {
      r = RewardTrainer.run(cfg, modelOptions.deviceList(),
          () -> RewardModel.loadOrCreate(modelOptions.model, root, modelOptions.deviceList().get(0),
              modelOptions.dataType(cfg.lora() != null), cfg.training().seed(), cfg.padTokenId()),
          train, eval, prov, null);
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
    TrainingResult res = r.result();
    outw.printf("trained %d steps on %d pairs (%d held out; longer than %d tokens: %d dropped, %d truncated; "
        + "%d with a margin)%n", res.steps(), r.trainPairs(), r.evalPairs(), cfg.maxLength(), r.droppedIds().size(),
        r.truncated(), r.pairsWithMargin());
    if (res.resumedFrom() > 0) {
      outw.printf("resumed from step %d%n", res.resumedFrom());
    }
    Map<String, Object> last = res.last("loss");
    if (last != null) {
      outw.printf("last loss %.6f  accuracy %.3f  rewards/margins %.4f%n", num(last, "loss"), num(last, "accuracy"),
          num(last, "rewards/margins"));
    }
    Map<String, Object> ev = res.last("eval_loss");
    if (ev != null) {
      outw.printf("eval loss %.6f  eval accuracy %.3f  eval rewards/margins %.4f%n", num(ev, "eval_loss"),
          num(ev, "eval_accuracy"), num(ev, "eval_rewards/margins"));
    }
    outw.printf("tokens %d in %.1f s; reward model: %s (score with --reward-model %s)%n", res.tokens(),
        res.elapsedSeconds(), res.finalModel(), res.finalModel());
    outw.flush();
    return 0;
  }

  private static double num(Map<String, Object> rec, String key) {
    return ((Number) rec.get(key)).doubleValue();
  }
}

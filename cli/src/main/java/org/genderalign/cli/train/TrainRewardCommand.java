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
        + "r_rejected - margin), as TRL's RewardTrainer (a pair's numeric \"margin\" field is its margin; with LoRA "
        + "the head trains too).")
public final class TrainRewardCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ModelOptions modelOptions;

  @Mixin PairDataOptions pairs;

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

  @Mixin LoraOptions loraOptions;

  @Mixin TrainingOptions training;

  @Override
  public Integer call() throws Exception {
    DataRoot root = GenderAlignCli.root(spec).dataRoot();
    PrintWriter outw = spec.commandLine().getOut();
    RewardRunConfig cfg;
    try {
      LoraConfig lora = loraOptions.toConfig();
      cfg = new RewardRunConfig(training.toConfig(TrainingOptions.Preset.NONE, RewardRunConfig.DEFAULT_LEARNING_RATE),
          lora, maxLength != null ? maxLength : RewardRunConfig.DEFAULT_MAX_LENGTH, truncate, promptTemplate,
          centerRewardsCoefficient, padTokenId, out, training.resume);
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
    List<List<PreferencePair>> data = pairs.trainAndEval(cfg.training().seed());
    @SuppressWarnings("unchecked")
    Map<String, Object> config = new LinkedHashMap<>(new ObjectMapper().convertValue(cfg, Map.class));
    config.put("model", modelOptions.model);
    config.put("devices", modelOptions.devices);
    config.put("precision", modelOptions.precision);
    pairs.describe(config);
    Provenance prov = pairs.withInputs(Provenance.of("train reward", config, cfg.training().seed()))
        .withLibrary("djl", ai.djl.engine.Engine.getDjlVersion());
    RewardTrainer.Report r;
    try {
      r = RewardTrainer.run(cfg, modelOptions.deviceList(),
          () -> RewardModel.loadOrCreate(modelOptions.model, root, modelOptions.deviceList().get(0),
              modelOptions.dataType(cfg.lora() != null), cfg.training().seed(), cfg.padTokenId()),
          data.get(0), data.get(1), prov, null);
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

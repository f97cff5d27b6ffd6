package org.genderalign.cli.train;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.genderalign.cli.BadUsageException;
import org.genderalign.cli.Check;
import org.genderalign.cli.OptionNames;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.dpo.DpoRecipes;
import org.genderalign.trainer.dpo.DpoRunConfig;
import org.genderalign.trainer.dpo.DpoTrainer;
import org.genderalign.trainer.dpo.loss.PreferenceLossConfig;
import org.genderalign.trainer.dpo.loss.PreferenceLosses;
import org.genderalign.trainer.lora.LoraConfig;
import org.genderalign.trainer.score.ScoreCache;
import org.genderalign.trainer.training.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign train dpo}: DPO (or a variant) on preference pairs, writing
 * {@code OUT/metrics.jsonl}, {@code OUT/checkpoints/}, and {@code OUT/final} (loadable with
 * {@code --model OUT/final}).
 */
@Command(name = "dpo", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Align a model on preference pairs with DPO or any of its variants: every loss_type of TRL's "
        + "DPOTrainer (alone or weighted together), cdpo, and the reference-free simpo / orpo.")
public final class TrainDpoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ModelOptions modelOptions;

  @Check.InputFile
  @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training pairs.")
  Path data;

  @Option(names = "--data-format", paramLabel = "F", defaultValue = "trl",
      description = "Format of --data and --eval-data: trl, hh, genderalign, csv (default trl).")
  String dataFormat;

  @Check.InputFile
  @Option(names = "--eval-data", paramLabel = "FILE", description = "Held-out pairs for evaluation.")
  Path evalData;

  @Option(names = "--eval-fraction", paramLabel = "F", defaultValue = "0",
      description = "Hold out this fraction of --data (seeded split) when --eval-data is not given.")
  double evalFraction;

  @Check.OutputDir
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--preset", paramLabel = "NAME",
      description = "paper: AdamW lr 1e-4, batch 1 x accumulation 16, 100 steps, LoRA rank 256 (alpha 256), beta 0.1. "
          + "Published loss recipes (they fill the loss options and learning rate you leave out): "
          + "mpo (sigmoid,bco_pair,sft 0.8,0.2,1.0, lr 5e-6), rpo (sigmoid,sft 1,0.005, beta 0.01, lr 5e-7), "
          + "irpo (sigmoid,sft 1,1), wpo (sigmoid, --use-weighting, beta 0.01), ld-dpo (--ld-alpha 0.5).")
  String preset;

  @Option(names = "--loss", paramLabel = "LIST", split = ",",
      description = "One or more of sigmoid, hinge, ipo, exo_pair, nca_pair, robust, bco_pair, sppo_hard, aot, "
          + "aot_unpaired, apo_zero, apo_down, discopop, sigmoid_norm, sft (TRL's loss_type), cdpo, simpo, orpo; "
          + "several are summed with --loss-weights (default sigmoid).")
  List<String> loss;

  @Option(names = "--loss-weights", paramLabel = "LIST", split = ",",
      description = "One weight per --loss (TRL's loss_weights; default all 1).")
  List<Double> lossWeights;

  @Option(names = "--beta", paramLabel = "B", description = "Beta (default 0.1).")
  Double beta;

  @Option(names = "--label-smoothing", paramLabel = "EPS", defaultValue = "0",
      description = "Label-noise rate in [0, 0.5) of cdpo, robust, exo_pair (needs > 0, e.g. 1e-3), aot, aot_unpaired "
          + "(default 0). TRL's sigmoid ignores it: use cdpo.")
  double labelSmoothing;

  @Option(names = "--use-weighting", description = "WPO: weight each pair by its policy probabilities (TRL's use_weighting).")
  boolean useWeighting;

  @Option(names = "--ld-alpha", paramLabel = "A",
      description = "LD-DPO: weight in [0, 1] of the longer answer's tokens beyond the shorter one's length (TRL's ld_alpha).")
  Double ldAlpha;

  @Option(names = "--discopop-tau", paramLabel = "T", defaultValue = "0.05", description = "DiscoPOP's tau (default 0.05).")
  double discopopTau;

  @Option(names = "--bco-running-baseline",
      description = "bco_pair with TRL <= 0.28's running reward baseline (kept in checkpoints; TRL today has none).")
  boolean bcoRunningBaseline;

  @Option(names = "--ipo-unnormalized", description = "IPO on summed log-ratios (default: length-normalised, as TRL).")
  boolean ipoUnnormalized;

  @Option(names = "--simpo-gamma", paramLabel = "G", defaultValue = "0.5", description = "SimPO target margin (default 0.5).")
  double simpoGamma;

  @Option(names = "--orpo-lambda", paramLabel = "L", defaultValue = "0.1", description = "ORPO odds-ratio weight (default 0.1).")
  double orpoLambda;

  @Option(names = "--max-length", paramLabel = "L", description = "Max prompt + completion tokens (default 512).")
  Integer maxLength;

  @Option(names = "--prompt-template", paramLabel = "T", defaultValue = "raw", description = "raw or hh (default raw).")
  String promptTemplate;

  @Mixin LoraOptions loraOptions;

  @Option(names = "--precompute-ref", description = "Compute reference log-probs once before training and cache them.")
  boolean precomputeRef;

  @Option(names = "--ref-cache", paramLabel = "DIR",
      description = "Score cache folder the reference precompute reads and writes (default ~/.cache/genderalign/scores, shared with score and eval).")
  Path refCache;

  @Mixin TrainingOptions training;

  @Override
  public Integer call() throws Exception {
    DataRoot root = GenderAlignCli.root(spec).dataRoot();
    PrintWriter outw = spec.commandLine().getOut();
    boolean paper = "paper".equals(preset);
    DpoRecipes.Recipe recipe = null;
    if (preset != null && !paper) {
      if (!DpoRecipes.names().contains(preset)) {
        throw new BadUsageException("unknown --preset '" + preset + "'; known: paper, "
            + String.join(", ", DpoRecipes.names()));
      }
      recipe = DpoRecipes.named(preset);
    }
    DpoRunConfig cfg;
    try {
      TrainingOptions.Preset p = paper ? new TrainingOptions.Preset(1e-4, 1, 16, 100L)
          : recipe != null ? new TrainingOptions.Preset(recipe.learningRate(), null, null, null)
          : TrainingOptions.Preset.NONE;
      LoraConfig lora = loraOptions.toConfig(paper ? 256 : null, paper ? 256.0 : null);
      // explicit options, else the recipe's, else the defaults (weights follow the losses they belong to)
      List<String> types = loss != null ? loss
          : recipe != null ? recipe.lossTypes() : List.of(PreferenceLossConfig.DEFAULT_NAME);
      List<Double> weights = lossWeights != null ? lossWeights : loss == null && recipe != null ? recipe.lossWeights()
          : null;
      double b = beta != null ? beta : recipe != null && recipe.beta() != null ? recipe.beta()
          : PreferenceLossConfig.DEFAULT_BETA;
      PreferenceLossConfig lc = new PreferenceLossConfig(types, weights, b, labelSmoothing, !ipoUnnormalized,
          simpoGamma, orpoLambda, discopopTau, useWeighting || (recipe != null && recipe.useWeighting()),
          ldAlpha != null ? ldAlpha : recipe != null ? recipe.ldAlpha() : null, bcoRunningBaseline);
      PreferenceLosses.create(lc);
      cfg = new DpoRunConfig(lc, training.toConfig(p, 1e-6), lora,
          maxLength != null ? maxLength : DpoRunConfig.DEFAULT_MAX_LENGTH, promptTemplate, precomputeRef,
          precomputeRef ? (refCache != null ? refCache : ScoreCache.defaultDir()) : null, out,
          training.resume);
    } catch (IllegalArgumentException e) {
      throw OptionNames.badUsage(spec, OPTIONS, e);
    }
    List<List<PreferencePair>> sets = TrainData.trainAndEval(data, evalData, evalFraction, cfg.training().seed(),
        f -> TrainData.pairs(f, dataFormat));
    Provenance provenance = TrainData.provenance("train dpo", cfg, cfg.training().seed(), modelOptions, dataFormat,
        evalFraction, data, evalData, java.util.Collections.singletonMap("preset", preset));
    DpoTrainer.Report r = DpoTrainer.run(cfg, modelOptions.deviceList(), () -> modelOptions.load(root, cfg.lora() != null),
        sets.get(0), sets.get(1), provenance, null);
    TrainingResult res = r.result();
    outw.printf("trained %d steps on %d pairs (%d held out; %d dropped, %d truncated); reference: %s%n",
        res.steps(), r.trainPairs(), r.evalPairs(), r.droppedIds().size(), r.truncated(), r.referenceMode());
    if (!r.droppedIds().isEmpty()) {
      outw.printf("dropped %d pairs whose prompt alone fills --max-length %d (ids in %s)%n", r.droppedIds().size(),
          cfg.maxLength(), out.resolve("dropped.txt"));
    }
    if (res.resumedFrom() > 0) {
      outw.printf("resumed from step %d%n", res.resumedFrom());
    }
    Map<String, Object> last = res.last("loss");
    if (last != null) {
      outw.printf("last loss %.6f  rewards/accuracies %.3f  rewards/margins %.4f%s%n",
          ((Number) last.get("loss")).doubleValue(), ((Number) last.get("rewards/accuracies")).doubleValue(),
          ((Number) last.get("rewards/margins")).doubleValue(), components(last, ""));
    }
    Map<String, Object> ev = res.last("eval_loss");
    if (ev != null) {
      outw.printf("eval loss %.6f  eval rewards/accuracies %.3f%n", ((Number) ev.get("eval_loss")).doubleValue(),
          ((Number) ev.get("eval_rewards/accuracies")).doubleValue());
    }
    outw.printf("tokens %d in %.1f s; final model: %s (load with --model %s)%n", res.tokens(), res.elapsedSeconds(),
        res.finalModel(), res.finalModel());
    outw.flush();
    return 0;
  }

  /** "  loss/sigmoid 0.69  nll_loss 3.1" for a combination of losses, else "". */
  private String components(Map<String, Object> rec, String prefix) {
    StringBuilder sb = new StringBuilder();
    for (String k : rec.keySet()) {
      String name = k.substring(prefix.length());
      if (k.startsWith(prefix) && (name.startsWith("loss/") || name.equals("nll_loss"))) {
        sb.append(String.format("  %s %.4f", k, ((Number) rec.get(k)).doubleValue()));
      }
    }
    return sb.toString();
  }

  /** {@link TrainingOptions#OPTIONS} and the loss's and LoRA's phrases → options. */
  static final Map<String, String> OPTIONS;

  static {
    Map<String, String> m = new java.util.HashMap<>(TrainingOptions.OPTIONS);
    m.put("beta", "--beta");
    m.put("label smoothing", "--label-smoothing");
    m.put("simpo gamma", "--simpo-gamma");
    m.put("orpo lambda", "--orpo-lambda");
    m.put("loss", "--loss");
    OPTIONS = Map.copyOf(m);
  }
}

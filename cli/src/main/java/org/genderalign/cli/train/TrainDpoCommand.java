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
import org.genderalign.trainer.dpo.DpoRunConfig;
import org.genderalign.trainer.dpo.DpoTrainer;
import org.genderalign.trainer.dpo.ReferenceLogpCache;
import org.genderalign.trainer.dpo.loss.PreferenceLossConfig;
import org.genderalign.trainer.dpo.loss.PreferenceLosses;
import org.genderalign.trainer.lora.LoraConfig;
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
    description = "Align a model on preference pairs with DPO (sigmoid, cdpo, robust, hinge, ipo) or the "
        + "reference-free simpo / orpo.")
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
      description = "paper: AdamW lr 1e-4, batch 1 x accumulation 16, 100 steps, LoRA rank 256 (alpha 256), beta 0.1.")
  String preset;

  @Option(names = "--loss", paramLabel = "NAME", defaultValue = "sigmoid",
      description = "sigmoid, cdpo, robust, hinge, ipo, simpo, orpo (default sigmoid).")
  String loss;

  @Option(names = "--beta", paramLabel = "B", defaultValue = "0.1", description = "Beta (default 0.1).")
  double beta;

  @Option(names = "--label-smoothing", paramLabel = "EPS", defaultValue = "0",
      description = "cDPO / robust label-noise rate in [0, 0.5) (default 0).")
  double labelSmoothing;

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

  @Option(names = "--lora-rank", paramLabel = "R", description = "Train LoRA adapters of this rank (base frozen).")
  Integer loraRank;

  @Option(names = "--lora-alpha", paramLabel = "A",
      description = "LoRA alpha: the adapter update is scaled by alpha / rank (default 16; 256 with --preset paper). "
          + "See docs/lora.md.")
  Double loraAlpha;

  @Option(names = "--lora-dropout", paramLabel = "P", description = "LoRA dropout (default 0.05).")
  Double loraDropout;

  @Option(names = "--lora-targets", paramLabel = "LIST", split = ",",
      description = "Projections to adapt (default wq,wk,wv,wo,w1,w2,w3; HF names accepted).")
  List<String> loraTargets;

  @Option(names = "--precompute-ref", description = "Compute reference log-probs once before training and cache them.")
  boolean precomputeRef;

  @Option(names = "--ref-cache", paramLabel = "DIR",
      description = "Cache folder for precomputed reference log-probs (default ~/.cache/genderalign/ref-logps).")
  Path refCache;

  @Mixin TrainingOptions training;

  @Override
  public Integer call() throws Exception {
    DataRoot root = GenderAlignCli.root(spec).dataRoot();
    PrintWriter outw = spec.commandLine().getOut();
    boolean paper = false;
    if (preset != null) {
      if (!preset.equals("paper")) {
        throw new BadUsageException("unknown --preset '" + preset + "'; known: paper");
      }
      paper = true;
    }
    DpoRunConfig cfg;
    try {
      TrainingOptions.Preset p = paper ? new TrainingOptions.Preset(1e-4, 1, 16, 100L) : TrainingOptions.Preset.NONE;
      Integer rank = loraRank != null ? loraRank : (paper ? 256 : null);
      LoraConfig lora = rank == null ? null : new LoraConfig(rank,
          loraAlpha != null ? loraAlpha : (paper ? 256.0 : LoraConfig.DEFAULT_ALPHA),
          loraDropout != null ? loraDropout : LoraConfig.DEFAULT_DROPOUT,
          loraTargets != null ? loraTargets : LoraConfig.DEFAULT_TARGETS);
      PreferenceLossConfig lc = new PreferenceLossConfig(loss, beta, labelSmoothing, !ipoUnnormalized, simpoGamma,
          orpoLambda);
      PreferenceLosses.create(lc);
      cfg = new DpoRunConfig(lc, training.toConfig(p, 1e-6), lora,
          maxLength != null ? maxLength : DpoRunConfig.DEFAULT_MAX_LENGTH, promptTemplate, precomputeRef,
          precomputeRef ? (refCache != null ? refCache : ReferenceLogpCache.defaultDir()) : null, out,
          training.resume);
    } catch (IllegalArgumentException e) {
      throw OptionNames.badUsage(spec, OPTIONS, e);
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
    Provenance prov = Provenance.of("train dpo", new RunRecord(cfg, modelOptions.model, modelOptions.devices,
        modelOptions.precision, dataFormat, evalFraction), cfg.training().seed())
        .withInput("data", data);
    if (evalData != null) {
      prov = prov.withInput("eval-data", evalData);
    }
    final Provenance provenance = prov;
    DpoTrainer.Report r = DpoTrainer.run(cfg, modelOptions.deviceList(), () -> modelOptions.load(root, cfg.lora() != null), train, eval,
        provenance, null);
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
      outw.printf("last loss %.6f  rewards/accuracies %.3f  rewards/margins %.4f%n",
          ((Number) last.get("loss")).doubleValue(), ((Number) last.get("rewards/accuracies")).doubleValue(),
          ((Number) last.get("rewards/margins")).doubleValue());
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

  /** What a DPO run was asked for, for its provenance: the run config and the model options. */
  record RunRecord(DpoRunConfig run, String model, String devices, String precision, String dataFormat,
      double evalFraction) {}
}

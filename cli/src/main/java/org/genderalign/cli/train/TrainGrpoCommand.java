package org.genderalign.cli.train;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.genderalign.cli.BadUsageException;
import org.genderalign.cli.Check;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.cli.Validated;
import org.genderalign.core.data.PromptExample;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.format.Formats;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.taxonomy.DefaultBiasClassifier;
import org.genderalign.trainer.data.PromptTemplate;
import org.genderalign.trainer.grpo.GrpoLossConfig;
import org.genderalign.trainer.grpo.GrpoRunConfig;
import org.genderalign.trainer.grpo.GrpoTrainer;
import org.genderalign.trainer.grpo.SoftOverlongPunishment;
import org.genderalign.trainer.grpo.WeightedRewards;
import org.genderalign.trainer.reward.RewardFunction;
import org.genderalign.trainer.reward.RewardModel;
import org.genderalign.trainer.reward.RewardScorer;
import org.genderalign.trainer.training.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign train grpo}: online RL with group-relative advantages, as TRL's GRPOTrainer
 * (docs/grpo.md); same output folder, checkpoints, resume and metrics file as {@code train dpo}.
 */
@Command(name = "grpo", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Align a model with GRPO (TRL's GRPOTrainer): sample G completions per prompt, reward them "
        + "(the bias-taxonomy classifier's P(unbiased), a reward model, a length penalty; weighted), normalise "
        + "within each group, and train the clipped surrogate with an optional KL penalty to the reference.")
public final class TrainGrpoCommand implements Callable<Integer>, Validated {

  @Spec CommandSpec spec;

  @Mixin ModelOptions modelOptions;

  @Check.InputFile
  @Option(names = "--prompts", required = true, paramLabel = "FILE",
      description = "Prompts: trl-prompt JSONL ({\"prompt\": ...}), or a pair file whose prompts are used.")
  Path prompts;

  @Option(names = "--prompts-format", paramLabel = "F", defaultValue = "trl-prompt",
      description = "trl-prompt (default), or a pair format (trl, hh, genderalign, csv) whose prompts are used.")
  String promptsFormat;

  @Check.OutputDir
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--reward", required = true, paramLabel = "LIST",
      description = "Reward functions, comma-separated: taxonomy (the classifier's P(unbiased)), rm=PATH (a reward "
          + "model folder, e.g. train reward's final/), length (TRL's soft overlong punishment).")
  String reward;

  @Option(names = "--reward-weights", paramLabel = "W,...", split = ",",
      description = "One weight per reward function, in --reward order (default all 1).")
  List<Double> rewardWeights;

  @Check.Min(2)
  @Option(names = "--num-generations", paramLabel = "G", defaultValue = "8",
      description = "Completions per prompt (default 8).")
  int numGenerations;

  @Option(names = "--beta", paramLabel = "B", defaultValue = "0",
      description = "KL coefficient; 0 (TRL's default) needs no reference model.")
  double beta;

  @Option(names = "--epsilon", paramLabel = "E", defaultValue = "0.2", description = "Clipping epsilon (default 0.2).")
  double epsilon;

  @Option(names = "--epsilon-high", paramLabel = "E",
      description = "Upper clipping epsilon (default = --epsilon; DAPO recommends 0.28).")
  Double epsilonHigh;

  @Check.Min(1)
  @Option(names = "--num-iterations", paramLabel = "MU", defaultValue = "1",
      description = "Optimizer steps per generation (default 1); --save-steps must be a multiple.")
  int numIterations;

  @Option(names = "--loss-type", paramLabel = "T", defaultValue = GrpoLossConfig.DEFAULT_LOSS_TYPE,
      description = "dapo (default), grpo, bnpo or dr_grpo.")
  String lossType;

  @Option(names = "--scale-rewards", paramLabel = "S", defaultValue = "group",
      description = "group (default), batch or none.")
  String scaleRewards;

  @Check.Min(1)
  @Option(names = {"--max-new-tokens", "--max-completion-length"}, paramLabel = "N", defaultValue = "256",
      description = "Max tokens per completion (default 256).")
  int maxNewTokens;

  @Option(names = "--length-cache", paramLabel = "N",
      description = "The length penalty's soft zone in tokens (default a quarter of --max-new-tokens).")
  Integer lengthCache;

  @Option(names = "--temperature", paramLabel = "T", defaultValue = "1.0", description = "Sampling temperature (default 1).")
  float temperature;

  @Option(names = "--top-p", paramLabel = "P", defaultValue = "1.0", description = "Nucleus sampling mass (default 1).")
  float topP;

  @Option(names = "--top-k", paramLabel = "K", defaultValue = "0", description = "Top-k sampling; 0 = off (default).")
  int topK;

  @Check.Min(1)
  @Option(names = "--max-prompt-length", paramLabel = "N", defaultValue = "256",
      description = "Prompts keep their last N tokens (default 256).")
  int maxPromptLength;

  @Check.Min(1)
  @Option(names = "--generation-batch-size", paramLabel = "N", defaultValue = "32",
      description = "Rows the generator decodes together (default 32).")
  int generationBatchSize;

  @Option(names = "--prompt-template", paramLabel = "T", defaultValue = "raw", description = "raw or hh (default raw).")
  String promptTemplate;

  @Mixin LoraOptions loraOptions;

  @Mixin TrainingOptions training;

  private GrpoRunConfig cfg;
  private List<String> rewardSpecs;

  @Override
  public void validate() {
    try {
      PromptTemplate.named(promptTemplate);
      cfg = new GrpoRunConfig(new GrpoLossConfig(beta, epsilon, epsilonHigh, lossType, maxNewTokens),
          training.toConfig(new TrainingOptions.Preset(null, 1, null, null), GrpoRunConfig.DEFAULT_LEARNING_RATE),
          loraOptions.toConfig(), numGenerations, numIterations, scaleRewards, temperature, topP, topK,
          generationBatchSize, maxPromptLength, promptTemplate, out, training.resume);
      if (lengthCache != null) {
        new SoftOverlongPunishment(maxNewTokens, lengthCache);
      }
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
    if (!promptsFormat.equals("trl-prompt") && !Formats.pairFormatNames().contains(promptsFormat)) {
      throw new BadUsageException("bad --prompts-format '" + promptsFormat + "'; expected trl-prompt or one of "
          + String.join(", ", Formats.pairFormatNames()));
    }
    rewardSpecs = new ArrayList<>();
    for (String s : reward.split(",")) {
      String r = s.trim();
      if (r.equals(TaxonomyReward.NAME) || r.equals("length")) {
        rewardSpecs.add(r);
      } else if (r.startsWith("rm=")) {
        Path p = Path.of(r.substring(3));
        if (!RewardModel.isRewardModelFolder(p)) {
          throw new BadUsageException("--reward rm=" + p + ": not a reward model folder (expected train reward's "
              + "final/, a LlamaForSequenceClassification folder)");
        }
        rewardSpecs.add(r);
      } else {
        throw new BadUsageException("bad --reward entry '" + r + "'; expected taxonomy, rm=PATH or length");
      }
    }
    if (rewardSpecs.stream().distinct().count() < rewardSpecs.size()) {
      throw new BadUsageException("--reward names a function twice: " + reward);
    }
    if (rewardWeights != null && rewardWeights.size() != rewardSpecs.size()) {
      throw new BadUsageException("--reward-weights has " + rewardWeights.size() + " values for "
          + rewardSpecs.size() + " reward functions");
    }
  }

  @Override
  public Integer call() throws Exception {
    if (cfg == null) {
      validate();
    }
    DataRoot root = GenderAlignCli.root(spec).dataRoot();
    PrintWriter outw = spec.commandLine().getOut();
    List<PromptExample> data;
    try {
      data = Formats.readPrompts(prompts, promptsFormat);
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
    if (data.isEmpty()) {
      throw org.genderalign.core.error.InvalidInputException.empty(prompts, "prompts");
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("reward", rewardSpecs);
    extra.put("rewardWeights", rewardWeights);
    Provenance prov = TrainData.provenance("train grpo", cfg, cfg.training().seed(), modelOptions, promptsFormat, 0,
        prompts, null, extra);
    List<AutoCloseable> open = new ArrayList<>();
    try {
      List<RewardFunction> functions = new ArrayList<>();
      for (String r : rewardSpecs) {
        if (r.equals(TaxonomyReward.NAME)) {
          DefaultBiasClassifier clf = DefaultBiasClassifier.create(root);
          open.add(clf);
          functions.add(new TaxonomyReward(clf));
        } else if (r.equals("length")) {
          functions.add(lengthCache != null ? new SoftOverlongPunishment(maxNewTokens, lengthCache)
              : SoftOverlongPunishment.of(maxNewTokens));
        } else {
          Path p = Path.of(r.substring(3));
          RewardModel rm = RewardModel.load(p, modelOptions.deviceList().get(0), ai.djl.ndarray.types.DataType.FLOAT32);
          open.add(rm);
          functions.add(RewardScorer.of(rm, 16));
          prov = prov.withInputHash("reward-model:model.safetensors", RewardModel.weightsSha256(p));
        }
      }
      double[] weights = rewardWeights == null ? null : rewardWeights.stream().mapToDouble(Double::doubleValue).toArray();
      WeightedRewards rewards;
      try {
        rewards = new WeightedRewards(functions, weights);
      } catch (IllegalArgumentException e) {
        throw new BadUsageException(e.getMessage());
      }
      GrpoTrainer.Report r = GrpoTrainer.run(cfg, modelOptions.deviceList(),
          () -> modelOptions.load(root, cfg.lora() != null), data, rewards, prov, null);
      TrainingResult res = r.result();
      outw.printf("trained %d steps on %d prompts × %d completions (%d prompts truncated); reference: %s%n",
          res.steps(), r.prompts(), cfg.numGenerations(), r.truncatedPrompts(), r.referenceMode());
      if (res.resumedFrom() > 0) {
        outw.printf("resumed from step %d%n", res.resumedFrom());
      }
      StringBuilder curve = new StringBuilder("reward by logged step:");
      for (Map<String, Object> rec : res.history()) {
        Object v = rec.get("reward");
        if (v != null) {
          curve.append(String.format(Locale.ROOT, " %s:%.4f", rec.get("step"), ((Number) v).doubleValue()));
        }
      }
      outw.println(curve);
      outw.printf("tokens %d in %.1f s; final model: %s (load with --model %s)%n", res.tokens(), res.elapsedSeconds(),
          res.finalModel(), res.finalModel());
      outw.flush();
      return 0;
    } finally {
      for (AutoCloseable c : open) {
        c.close();
      }
    }
  }
}

package org.genderalign.builder.filter;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.builder.config.BuildConfigs;
import org.genderalign.builder.config.SelfRewardConfig;
import org.genderalign.builder.pipeline.Candidate;
import org.genderalign.builder.pipeline.ProgressListener;
import org.genderalign.builder.text.Rng;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.io.Hashing;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.taxonomy.Classification;
import org.genderalign.trainer.checkpoint.CheckpointManager;
import org.genderalign.trainer.optim.AdamWConfig;
import org.genderalign.trainer.reward.RewardModel;
import org.genderalign.trainer.reward.RewardRunConfig;
import org.genderalign.trainer.reward.RewardScorer;
import org.genderalign.trainer.reward.RewardTrainer;
import org.genderalign.trainer.training.StepListener;
import org.genderalign.trainer.training.TrainingConfig;
import org.genderalign.trainer.training.TrainingLoop;

/**
 * {@code rewardModel: self}: reward models cross-fitted on the candidates themselves, so that no
 * pair is judged by a model that saw it. Candidates are split in two folds by seed (every dialogue
 * of a seed on the same side, so near-identical questions of one seed never straddle the split);
 * the first time the filter runs, one reward model is trained on each fold's pairs
 * ({@link RewardTrainer}, settings in {@link SelfRewardConfig}), and from then on each candidate is
 * judged by the model of the other fold. Candidates of later top-up rounds were seen by neither
 * model, so the same two models judge them.
 *
 * <p>Resumable: each fold's run lives in {@code <work>/reward-model/fold-K} with checkpoints; a
 * killed build resumes the run (bit-identical, the loop guarantees it) or reuses its final model.
 * The folder is keyed by the training pairs and settings, and started over when they differ. Both
 * the uninterrupted and the resumed build score with the model read back from disk, so their
 * decisions are the same. Seeded by the build seed.
 *
 * <p>{@link #describe} reports the settings, each fold's size, the sha256 of its model, and its
 * held-out accuracy on the other fold (the share of pairs it ranks chosen above rejected) — a
 * cross-validated accuracy for free.
 */
public final class CrossFitRewardProxy implements RewardProxy {

  /** Folder under the build's work folder. */
  public static final String DIR = "reward-model";
  static final int FOLDS = 2;
  /** Checkpoint at least this often: a kill loses little training. */
  static final int MAX_SAVE_STEPS = 25;
  /** Fewer pairs than this in a fold cannot train a model worth the name. */
  static final int MIN_FOLD_PAIRS = 8;

  private final SelfRewardConfig cfg;
  private final long seed;
  private final Path dir;
  private final DataRoot root;
  private final ProgressListener progress;
  private final RewardModel[] models = new RewardModel[FOLDS];
  private final RewardScorer[] scorers = new RewardScorer[FOLDS];
  private final List<Map<String, Object>> folds = new ArrayList<>();
  private final CandidateRewards rewards = new CandidateRewards();

  /**
   * @param cfg training settings
   * @param seed the build seed
   * @param workDir the build's work folder (its {@value #DIR} sub-folder holds the runs)
   * @param root the data root (for a short-named base)
   * @param progress where training progress goes
   */
  public CrossFitRewardProxy(SelfRewardConfig cfg, long seed, Path workDir, DataRoot root, ProgressListener progress) {
    this.cfg = cfg;
    this.seed = seed;
    this.dir = workDir.resolve(DIR);
    this.root = root;
    this.progress = progress == null ? ProgressListener.NONE : progress;
  }

  /** The fold of a seed: a hash of (build seed, seed id). */
  public static int fold(long buildSeed, String seedId) {
    return (int) Math.floorMod(Rng.hash64(buildSeed + ":reward-fold:" + seedId), (long) FOLDS);
  }

  @Override
  public String name() {
    return "model";
  }

  /** Not meaningful without knowing the candidate's fold: the filter calls {@link #scorePairs}. */
  @Override
  public double score(String prompt, String answer, Classification classification) {
    throw new UnsupportedOperationException("a cross-fitted reward needs the candidate's fold: use scorePairs");
  }

  @Override
  public double[][] scorePairs(List<Scored> candidates) {
    if (models[0] == null) {
      train(candidates);
    }
    List<List<Candidate>> todo = new ArrayList<>();
    for (int k = 0; k < FOLDS; k++) {
      todo.add(new ArrayList<>());
    }
    for (Scored s : candidates) {
      if (!rewards.has(s.candidate().id())) {
        todo.get(fold(seed, s.candidate().seedId())).add(s.candidate());
      }
    }
    for (int k = 0; k < FOLDS; k++) {
      rewards.score(scorers[judgeOf(k)], todo.get(k)); // fold k is judged by the model that never saw it
    }
    heldOutAccuracy(candidates);
    return rewards.sigmoids(candidates);
  }

  /** The model that judges fold {@code k}: the other fold's. */
  static int judgeOf(int k) {
    return 1 - k;
  }

  private void train(List<Scored> candidates) {
    List<List<PreferencePair>> pairs = new ArrayList<>();
    for (int k = 0; k < FOLDS; k++) {
      pairs.add(new ArrayList<>());
    }
    for (Scored s : candidates) {
      Candidate c = s.candidate();
      pairs.get(fold(seed, c.seedId())).add(PreferencePair.of(c.id(), c.prompt(), c.chosen(), c.rejected()));
    }
    for (int k = 0; k < FOLDS; k++) {
      if (pairs.get(k).size() < MIN_FOLD_PAIRS) {
        throw new IllegalArgumentException("reward model 'self' needs at least " + MIN_FOLD_PAIRS
            + " candidates in each half to cross-fit, but half " + k + " has " + pairs.get(k).size()
            + " (raise the target or use the heuristic proxy)");
      }
    }
    try {
      for (int k = 0; k < FOLDS; k++) {
        Path runDir = trainOrResume(k, pairs.get(k));
        Path finalDir = runDir.resolve(TrainingLoop.FINAL_DIR);
        models[k] = RewardModel.load(finalDir, Device.cpu(), DataType.FLOAT32);
        scorers[k] = RewardScorer.of(models[k], ModelRewardProxy.BATCH_SIZE);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("fold", k);
        f.put("train_pairs", pairs.get(k).size());
        f.put("weights_sha256", RewardModel.weightsSha256(finalDir));
        folds.add(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Trains fold {@code k}'s model in its folder, resuming or reusing what a killed build left. */
  private Path trainOrResume(int k, List<PreferencePair> pairs) throws IOException {
    Path runDir = dir.resolve("fold-" + k);
    Path keyFile = runDir.resolve("key.txt");
    String key = key(k, pairs);
    if (Files.exists(runDir) && !(Files.isRegularFile(keyFile) && Files.readString(keyFile).equals(key))) {
      CheckpointManager.deleteTree(runDir); // another build's (or other candidates'): start over
    }
    Files.createDirectories(runDir);
    AtomicFiles.writeString(keyFile, key);
    if (RewardModel.isRewardModelFolder(runDir.resolve(TrainingLoop.FINAL_DIR))) {
      progress.message("reward model " + (k + 1) + "/" + FOLDS + ": reusing the one trained before the interruption");
      return runDir;
    }
    progress.message("training reward model " + (k + 1) + "/" + FOLDS + " on " + pairs.size() + " pairs ("
        + cfg.steps() + " steps, base " + cfg.base() + "); it judges the other half");
    RewardRunConfig rc = new RewardRunConfig(training(k), null, cfg.maxLength(), true, cfg.promptTemplate(),
        cfg.centerRewardsCoefficient() > 0 ? cfg.centerRewardsCoefficient() : null, null, runDir, true);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("selfReward", cfg);
    config.put("fold", k);
    progress.start("reward model " + (k + 1) + "/" + FOLDS, cfg.steps());
    try {
      RewardTrainer.run(rc, () -> RewardModel.loadOrCreate(cfg.base(), root, Device.cpu(), DataType.FLOAT32,
          rc.training().seed(), null), pairs, List.of(), Provenance.of("dataset build: reward model self", config,
          rc.training().seed()), new StepListener() {
            @Override
            public void beforeUpdate(long step, Map<String, Parameter> params) {
              progress.step(1);
            }
          });
    } finally {
      progress.finish();
    }
    return runDir;
  }

  /**
   * The fold's loop settings: linear decay from the configured rate, no weight decay, seeded per
   * fold, a checkpoint every quarter of the run (at most every {@value #MAX_SAVE_STEPS} steps).
   */
  TrainingConfig training(int k) {
    return new TrainingConfig(cfg.steps(), 0, cfg.batchSize(), 1, AdamWConfig.of(cfg.learningRate(), 0.0), "linear", 0,
        TrainingConfig.DEFAULT_MAX_GRAD_NORM, seed + k, TrainingConfig.DEFAULT_LOGGING_STEPS, 0,
        Math.max(1, Math.min(MAX_SAVE_STEPS, cfg.steps() / 4)), 1, false);
  }

  private String key(int k, List<PreferencePair> pairs) {
    var md = Hashing.newDigest();
    md.update((BuildConfigs.mapper().valueToTree(cfg).toString() + "|" + seed + "|" + k).getBytes(
        java.nio.charset.StandardCharsets.UTF_8));
    for (PreferencePair p : pairs) {
      for (String s : new String[] {p.id(), p.prompt(), p.chosen(), p.rejected()}) {
        md.update(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
    }
    return java.util.HexFormat.of().formatHex(md.digest()) + "\n";
  }

  /** Each fold model's accuracy on the other fold's candidates of this call: the share with r_c > r_r. */
  private void heldOutAccuracy(List<Scored> candidates) {
    int[] right = new int[FOLDS];
    int[] total = new int[FOLDS];
    for (Scored s : candidates) {
      int judge = judgeOf(fold(seed, s.candidate().seedId()));
      CandidateRewards.Entry e = rewards.get(s.candidate().id());
      total[judge]++;
      right[judge] += e.chosen() > e.rejected() ? 1 : 0;
    }
    for (int k = 0; k < FOLDS; k++) {
      folds.get(k).put("held_out_pairs", total[k]);
      folds.get(k).put("held_out_accuracy", total[k] == 0 ? null : Math.round(10000.0 * right[k] / total[k]) / 10000.0);
    }
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>(RewardProxy.super.describe());
    m.put("reward_model", "self (cross-fitted: " + FOLDS + " halves by seed, each judged by the model of the other)");
    m.put("training", BuildConfigs.mapper().convertValue(cfg, Map.class));
    m.put("seed", seed);
    m.put("score", "sigmoid(reward)");
    m.put("folds", folds);
    m.put("pairs_judged", rewards.lastScored());
    m.put("pairs_truncated", rewards.lastTruncated());
    return m;
  }

  @Override
  public void close() {
    for (RewardModel m : models) {
      if (m != null) {
        m.close();
      }
    }
  }
}

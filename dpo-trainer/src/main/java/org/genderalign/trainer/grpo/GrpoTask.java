package org.genderalign.trainer.grpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.dpo.loss.Numerics;
import org.genderalign.trainer.generate.Generation;
import org.genderalign.trainer.generate.GenerationConfig;
import org.genderalign.trainer.generate.Generator;
import org.genderalign.trainer.model.LlamaModel;
import org.genderalign.trainer.training.CompletionBatch;
import org.genderalign.trainer.training.MicroBatchResult;
import org.genderalign.trainer.training.PolicyModel;
import org.genderalign.trainer.training.SequenceLogProbs;
import org.genderalign.trainer.training.TrainingTask;

/**
 * GRPO as a {@link TrainingTask}. At the start of each generation's first step
 * ({@link #beginStep}, outside any gradient collector): G completions per prompt from the
 * {@link Generator}, each row seeded by (seed, step, row) alone so that a resumed run samples
 * exactly what the uninterrupted one did; the weighted rewards; the group-relative
 * {@link Advantages}; the sampling policy's per-token log-probs when {@code num_iterations > 1}
 * (else they equal the policy's own, detached, as in TRL) and the reference's when β ≠ 0. Then,
 * per micro-batch, the policy's tempered per-token log-probs and the {@link GrpoLoss}.
 *
 * <p>Metrics as TRL's GRPOTrainer logs them, each the mean of its per-event values over the
 * logging window: per generation {@code reward}, {@code reward_std},
 * {@code rewards/<name>/mean}, {@code rewards/<name>/std}, {@code frac_reward_zero_std},
 * {@code completions/mean_length}, {@code completions/min_length}, {@code completions/max_length},
 * {@code completions/clipped_ratio}; per micro-batch {@code kl} (β ≠ 0),
 * {@code clip_ratio/low_mean}, {@code clip_ratio/high_mean}, {@code clip_ratio/region_mean}; and
 * {@code loss}.
 */
public final class GrpoTask implements TrainingTask<GrpoExample> {

  /** Per-token log-probs of a model that is not the policy (the reference). */
  public interface Scorer {
    /** Logits (N, T, V) of {@code ids} (N, T), no dropout, no graph. */
    NDArray logits(ParameterStore weights, NDArray ids);

    /** The reference of a LoRA policy: its own network with the adapters bypassed. */
    static Scorer adaptersOff(PolicyModel policy) {
      if (policy.lora() == null) {
        throw new IllegalArgumentException("adaptersOff needs a LoRA policy");
      }
      return (weights, ids) -> {
        policy.lora().setBypassed(true);
        try {
          return policy.logits(weights, ids, false);
        } finally {
          policy.lora().setBypassed(false);
        }
      };
    }

    /** A frozen copy of the weights. */
    static Scorer frozenCopy(LlamaModel copy) {
      for (var p : copy.namedParameters().values()) {
        p.getArray().setRequiresGradient(false);
      }
      return (weights, ids) -> copy.forward(weights, new NDList(ids), false, null, false).singletonOrThrow();
    }
  }

  /**
   * What one generation cost, for {@code bench grpo}.
   *
   * @param step the 0-based optimizer step that generated
   * @param completions completions sampled
   * @param generatedTokens their tokens (stopping EOS included)
   * @param generateSeconds sampling time
   * @param scoreSeconds rewards plus the reference / old-policy passes
   * @param endNanos {@link System#nanoTime} when the step's preparation ended
   */
  public record GenerationStats(long step, int completions, long generatedTokens, double generateSeconds,
      double scoreSeconds, long endNanos) {}

  /** One completion of the current generation. */
  record Rollout(GrpoExample example, int[] prompt, int[] completion, float advantage, float[] oldLogps,
      float[] refLogps) {}

  public static final String LOSS = "loss";

  private final PolicyModel policy;
  private final Scorer reference;
  private final GrpoLoss loss;
  private final WeightedRewards rewards;
  private final GrpoRunConfig cfg;
  private final Generator generator;
  private final NDManager manager;
  private final Provenance provenance;
  private final List<String> metricNames;

  private List<Rollout> rollouts = List.of();
  private final Map<GrpoExample, double[]> unitsOf = new IdentityHashMap<>();
  private int cursor;
  private Map<String, Double> pendingMetrics = Map.of();
  private final List<GenerationStats> stats = new ArrayList<>();

  /**
   * @param reference null when β = 0
   * @param manager the manager of the model's weights (generation and scoring sub-managers)
   */
  public GrpoTask(PolicyModel policy, Scorer reference, GrpoLoss loss, WeightedRewards rewards, GrpoRunConfig cfg,
      NDManager manager, Provenance provenance) {
    this.policy = Objects.requireNonNull(policy);
    this.loss = Objects.requireNonNull(loss);
    this.rewards = Objects.requireNonNull(rewards);
    this.cfg = Objects.requireNonNull(cfg);
    this.manager = Objects.requireNonNull(manager);
    this.provenance = Objects.requireNonNull(provenance);
    if (loss.config().beta() != 0 && reference == null) {
      throw new IllegalArgumentException("beta != 0 needs a reference model");
    }
    this.reference = loss.config().beta() != 0 ? reference : null;
    this.generator = new Generator(policy.block(), policy.tokenizer(), manager);
    List<String> names = new ArrayList<>(List.of(LOSS, "reward", "reward_std"));
    for (String n : rewards.names()) {
      names.add("rewards/" + n + "/mean");
      names.add("rewards/" + n + "/std");
    }
    names.addAll(List.of("frac_reward_zero_std", "completions/mean_length", "completions/min_length",
        "completions/max_length", "completions/clipped_ratio"));
    if (this.reference != null) {
      names.add("kl");
    }
    names.addAll(List.of("clip_ratio/low_mean", "clip_ratio/high_mean", "clip_ratio/region_mean"));
    this.metricNames = List.copyOf(names);
  }

  @Override
  public String name() {
    return "grpo";
  }

  @Override
  public Map<String, Parameter> trainableParameters() {
    return policy.trainableParameters();
  }

  @Override
  public String id(GrpoExample e) {
    return e.id();
  }

  @Override
  public int stepsPerDraw() {
    return cfg.numIterations();
  }

  /** Each generation's costs so far (a resumed run's start with its first generation). */
  public List<GenerationStats> generationStats() {
    return List.copyOf(stats);
  }

  /**
   * The unit of the step's mean: for {@code dapo} the example's completion tokens (the step's sum
   * is TRL's {@code num_items_in_batch}), otherwise its G completions. Known after {@link #beginStep}.
   */
  @Override
  public double units(GrpoExample e) {
    double[] u = unitsOf.get(e);
    if (u == null) {
      throw new IllegalStateException("units of " + e.id() + " asked before its completions were sampled");
    }
    return u[0] / u[1]; // an example drawn twice in one step shares its total between its draws
  }

  @Override
  public List<String> metricNames() {
    return metricNames;
  }

  @Override
  public void beginStep(long step, List<GrpoExample> examples, boolean fresh) {
    cursor = 0;
    if (!fresh) {
      return;
    }
    int g = cfg.numGenerations();
    int n = examples.size() * g;
    long t0 = System.nanoTime();
    List<int[]> prompts = new ArrayList<>(n);
    List<String> promptTexts = new ArrayList<>(n);
    long[] seeds = new long[n];
    long stepSeed = Generator.rowSeed(cfg.training().seed(), step);
    for (int j = 0; j < examples.size(); j++) {
      for (int k = 0; k < g; k++) {
        int row = j * g + k;
        prompts.add(examples.get(j).promptIds());
        promptTexts.add(examples.get(j).prompt());
        seeds[row] = Generator.rowSeed(stepSeed, row);
      }
    }
    GenerationConfig gc = new GenerationConfig(cfg.maxCompletionLength(), cfg.temperature(), cfg.topP(), cfg.topK(),
        cfg.training().seed(), cfg.generationBatchSize(), true, List.of());
    List<Generation> gens = generator.generateTokens(prompts, seeds, gc);
    long t1 = System.nanoTime();
    int eos = policy.tokenizer().eosId();
    List<int[]> completions = new ArrayList<>(n);
    List<String> texts = new ArrayList<>(n);
    int clipped = 0;
    long generated = 0;
    int minLen = Integer.MAX_VALUE;
    int maxLen = 0;
    for (Generation gen : gens) {
      boolean ended = Generator.EOS.equals(gen.finishReason()) && eos >= 0;
      int[] c = gen.tokens();
      if (ended) { // TRL's completions keep their EOS (llama2.c's BOS between stories counts as one)
        c = java.util.Arrays.copyOf(c, c.length + 1);
        c[c.length - 1] = eos;
      } else {
        clipped++;
      }
      completions.add(c);
      texts.add(gen.text());
      generated += c.length;
      minLen = Math.min(minLen, c.length);
      maxLen = Math.max(maxLen, c.length);
    }
    WeightedRewards.Scores scores = rewards.score(promptTexts, texts, completions);
    Advantages.Result adv = Advantages.compute(scores.total(), g, cfg.scaleRewards());
    float[][] old = cfg.numIterations() > 1 ? tokenLogps(prompts, completions, null) : null;
    float[][] ref = reference != null ? tokenLogps(prompts, completions, reference) : null;

    List<Rollout> rs = new ArrayList<>(n);
    unitsOf.clear();
    boolean tokenUnits = loss.config().lossType().equals("dapo");
    for (int j = 0; j < examples.size(); j++) {
      GrpoExample e = examples.get(j);
      double u = 0;
      for (int k = 0; k < g; k++) {
        int row = j * g + k;
        rs.add(new Rollout(e, prompts.get(row), completions.get(row), adv.advantages()[row],
            old == null ? null : old[row], ref == null ? null : ref[row]));
        u += tokenUnits ? completions.get(row).length : 1;
      }
      double[] prev = unitsOf.get(e);
      unitsOf.put(e, prev == null ? new double[] {u, 1} : new double[] {prev[0] + u, prev[1] + 1});
    }
    rollouts = rs;

    Map<String, Double> m = new LinkedHashMap<>();
    m.put("reward", Advantages.mean(scores.total()));
    m.put("reward_std", Advantages.std(scores.total(), 0, n));
    List<String> names = rewards.names();
    for (int k = 0; k < names.size(); k++) {
      float[] r = scores.perFunction()[k];
      m.put("rewards/" + names.get(k) + "/mean", Advantages.mean(r));
      m.put("rewards/" + names.get(k) + "/std", Advantages.std(r, 0, n));
    }
    m.put("frac_reward_zero_std", adv.zeroStdFraction());
    m.put("completions/mean_length", (double) generated / n);
    m.put("completions/min_length", (double) minLen);
    m.put("completions/max_length", (double) maxLen);
    m.put("completions/clipped_ratio", (double) clipped / n);
    pendingMetrics = m;
    long t2 = System.nanoTime();
    stats.add(new GenerationStats(step, n, generated, (t1 - t0) / 1e9, (t2 - t1) / 1e9, t2));
  }

  /**
   * Per-token log-probs of each completion under the policy (scorer null, no dropout) or a
   * scorer, at the sampling temperature, in micro-batch-sized chunks; one float per completion token.
   */
  private float[][] tokenLogps(List<int[]> prompts, List<int[]> completions, Scorer scorer) {
    int n = prompts.size();
    float[][] out = new float[n][];
    int chunk = cfg.training().batchSize() * cfg.numGenerations();
    for (int s = 0; s < n; s += chunk) {
      int e = Math.min(n, s + chunk);
      CompletionBatch b = CompletionBatch.of(prompts.subList(s, e), completions.subList(s, e), policy.padId());
      try (NDManager sm = manager.newSubManager()) {
        ParameterStore ps = new ParameterStore(sm, false);
        NDArray ids = b.inputIdsArray(sm); // (N, T)
        NDArray logits = scorer == null ? policy.logits(ps, ids, false) : scorer.logits(ps, ids); // (N, T, V)
        float[] lp = SequenceLogProbs.tokens(temper(logits), ids).stopGradient().toFloatArray(); // (N, T-1)
        int w = b.length() - 1;
        for (int i = s; i < e; i++) {
          int p = prompts.get(i).length;
          float[] row = new float[completions.get(i).length];
          for (int j = 0; j < row.length; j++) {
            row[j] = lp[(i - s) * w + p + j - 1];
          }
          out[i] = row;
        }
      }
    }
    return out;
  }

  /** logits / temperature, as TRL scores (the scalar as an NDArray: djl-notes trap 1). */
  private NDArray temper(NDArray logits) {
    return cfg.temperature() == 1f ? logits : logits.div(Numerics.scalar(logits, cfg.temperature()));
  }

  @Override
  public Object prepare(ParameterStore weights, NDManager step, List<GrpoExample> batch) {
    int g = cfg.numGenerations();
    if (cursor + batch.size() * g > rollouts.size()) {
      throw new IllegalStateException("GRPO's micro-batches ran past the step's completions (is beginStep called?)");
    }
    List<Rollout> mine = rollouts.subList(cursor, cursor + batch.size() * g);
    for (int j = 0; j < batch.size(); j++) {
      if (mine.get(j * g).example() != batch.get(j)) {
        throw new IllegalStateException("micro-batch out of the step's order at " + batch.get(j).id());
      }
    }
    cursor += batch.size() * g;
    return mine;
  }

  @Override
  @SuppressWarnings("unchecked")
  public MicroBatchResult forward(ParameterStore weights, NDManager step, List<GrpoExample> batch, boolean training,
      Object prepared) {
    List<Rollout> rs = (List<Rollout>) prepared;
    int n = rs.size();
    List<int[]> prompts = new ArrayList<>(n);
    List<int[]> completions = new ArrayList<>(n);
    float[] adv = new float[n];
    for (int i = 0; i < n; i++) {
      prompts.add(rs.get(i).prompt());
      completions.add(rs.get(i).completion());
      adv[i] = rs.get(i).advantage();
    }
    CompletionBatch b = CompletionBatch.of(prompts, completions, policy.padId());
    int w = b.length() - 1;
    NDArray ids = b.inputIdsArray(step); // (N, T)
    NDArray logps = SequenceLogProbs.tokens(temper(policy.logits(weights, ids, training)), ids); // (N, T-1)
    NDArray mask = b.maskArray(step, DataType.FLOAT32).get(":, 1:"); // (N, T-1)
    NDArray old = rs.get(0).oldLogps() == null ? null : laidOut(step, rs, w, true); // (N, T-1)
    NDArray ref = reference == null ? null : laidOut(step, rs, w, false); // (N, T-1)
    GrpoLoss.Result r = loss.compute(logps, old, ref, step.create(adv), mask);

    Map<String, Double> sums = new LinkedHashMap<>();
    Map<String, Double> counts = new LinkedHashMap<>();
    sums.put(LOSS, (double) r.lossSum().getFloat());
    if (!pendingMetrics.isEmpty()) { // once per generation, as TRL appends them
      pendingMetrics.forEach((k, v) -> {
        sums.put(k, v);
        counts.put(k, 1.0);
      });
      pendingMetrics = Map.of();
    }
    if (reference != null) {
      sums.put("kl", r.kl());
      counts.put("kl", 1.0);
    }
    sums.put("clip_ratio/low_mean", r.lowClipRatio());
    sums.put("clip_ratio/high_mean", r.highClipRatio());
    sums.put("clip_ratio/region_mean", r.regionClipRatio());
    for (String k : List.of("clip_ratio/low_mean", "clip_ratio/high_mean", "clip_ratio/region_mean")) {
      counts.put(k, 1.0);
    }
    long tokens = 0;
    for (int i = 0; i < n; i++) {
      tokens += prompts.get(i).length + completions.get(i).length;
    }
    return new MicroBatchResult(r.lossSum(), sums, tokens, counts);
  }

  /** The stored old-policy or reference log-probs laid out like {@link SequenceLogProbs#tokens}: (N, w). */
  private static NDArray laidOut(NDManager step, List<Rollout> rs, int w, boolean old) {
    float[] a = new float[rs.size() * w];
    for (int i = 0; i < rs.size(); i++) {
      Rollout r = rs.get(i);
      float[] v = old ? r.oldLogps() : r.refLogps();
      System.arraycopy(v, 0, a, i * w + r.prompt().length - 1, v.length);
    }
    return step.create(a, new Shape(rs.size(), w));
  }

  @Override
  public void saveFinal(Path dir) throws IOException {
    policy.saveFinal(dir, provenance);
  }
}

package org.genderalign.trainer.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.genderalign.core.lifecycle.GracefulStop;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.checkpoint.CheckpointManager;
import org.genderalign.trainer.checkpoint.TensorFile;
import org.genderalign.trainer.dpo.loss.Numerics;
import org.genderalign.trainer.optim.AdamW;
import org.genderalign.trainer.optim.GradientClipping;
import org.genderalign.trainer.optim.LrSchedule;

/**
 * The training loop every objective shares.
 *
 * <p>Per optimizer step: the next {@code batchSize × gradientAccumulationSteps} examples of a
 * seeded per-epoch permutation; per micro-batch a fresh sub-manager and gradient collector, the
 * task's summed loss scaled by 1 / (the step's total units) — so accumulation gives exactly the
 * full-batch mean — and backward; then the NaN/Inf guard, clipping by global norm, AdamW with the
 * scheduled learning rate. Every random draw in a micro-batch comes from an engine seed derived
 * from (seed, step, micro-batch), so nothing random needs saving for a bit-identical resume.
 *
 * <p>Output folder: {@code metrics.jsonl} (TRL/HF names plus {@code step}, {@code epoch},
 * {@code tokens}, {@code elapsed_s}), {@code checkpoints/checkpoint-N/} (atomic, last K kept),
 * {@code final/} (the task's model), {@code provenance.json}.
 *
 * @param <E> the encoded example type
 */
public final class TrainingLoop<E> {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static final String METRICS_FILE = "metrics.jsonl";
  public static final String CHECKPOINTS_DIR = "checkpoints";
  public static final String FINAL_DIR = "final";
  static final String STATE_FILE = "trainer_state.json";
  static final String TRAINABLE_FILE = "trainable.tensors";
  static final String OPTIMIZER_FILE = "optimizer.tensors";

  private final TrainingTask<E> task;
  private final TrainingConfig config;
  private final NDManager manager;
  private final Path outDir;
  private final Provenance provenance;
  private StepListener listener = new StepListener() {};
  private List<Device> devices = List.of();
  private PrintStream console = System.err;

  /**
   * @param task the objective
   * @param config loop settings
   * @param manager the manager of the model's weights (per-step managers are made from it)
   * @param outDir the run's output folder
   * @param provenance the run's provenance (config, inputs, seed), written with every artifact
   */
  public TrainingLoop(TrainingTask<E> task, TrainingConfig config, NDManager manager, Path outDir,
      Provenance provenance) {
    this.task = Objects.requireNonNull(task);
    this.config = Objects.requireNonNull(config);
    this.manager = Objects.requireNonNull(manager);
    this.outDir = Objects.requireNonNull(outDir);
    this.provenance = Objects.requireNonNull(provenance);
  }

  public TrainingLoop<E> listener(StepListener l) {
    this.listener = Objects.requireNonNull(l);
    return this;
  }

  /**
   * Trains data parallel over {@code list} (see {@link DataParallel}); the first device must be
   * the one the model's weights live on. Empty (the default): the weights' device alone.
   */
  public TrainingLoop<E> devices(List<Device> list) {
    this.devices = List.copyOf(list);
    return this;
  }

  /** Where the progress bar goes (default stderr). */
  public TrainingLoop<E> console(PrintStream out) {
    this.console = Objects.requireNonNull(out);
    return this;
  }

  /**
   * Trains, evaluating on {@code eval} (may be empty) and checkpointing as configured.
   *
   * @param train training examples (order is the identity of the data; the loop shuffles)
   * @param eval held-out examples
   * @param dataHash identity of the training data (checked on resume)
   * @param resume continue from the newest checkpoint in {@code outDir} if there is one
   */
  public TrainingResult run(List<E> train, List<E> eval, String dataHash, boolean resume) throws IOException {
    if (train.isEmpty()) {
      throw new IllegalArgumentException("no training examples");
    }
    Files.createDirectories(outDir);
    try (java.util.stream.Stream<Path> s = Files.list(outDir)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".tmp-final-")).toList()) {
        CheckpointManager.deleteTree(p); // left by a run killed while saving its final model
      }
    }
    Map<String, Parameter> params = task.trainableParameters();
    if (params.isEmpty()) {
      throw new IllegalStateException("the task has no trainable parameters");
    }
    int repeats = task.stepsPerDraw();
    if (repeats < 1) {
      throw new IllegalStateException("stepsPerDraw must be >= 1, got " + repeats);
    }
    // a draw serves `repeats` optimizer steps, so an epoch takes `repeats` times as many (as TRL's
    // RepeatSampler with num_iterations)
    long total = config.maxSteps() > 0 ? config.maxSteps() : config.totalSteps(train.size()) * repeats;
    LrSchedule schedule = LrSchedule.of(config.lrScheduler(), config.warmupSteps(), total);
    CheckpointManager checkpoints = new CheckpointManager(outDir.resolve(CHECKPOINTS_DIR), config.saveTotalLimit());
    Path metricsFile = outDir.resolve(METRICS_FILE);
    List<Map<String, Object>> history = new ArrayList<>();

    try (AdamW optimizer = new AdamW(config.optimizer(), manager);
        DataParallel parallel = new DataParallel(devices.isEmpty() ? List.of(manager.getDevice()) : devices, manager)) {
      TrainerState state = new TrainerState(0, 0, 0, 0, 0, 0, config.determinismKey(), dataHash);
      WindowMeans window = new WindowMeans();
      CheckpointManager.Resumable from = resume
          ? checkpoints.latestIntact(line -> message("warning: " + line))
          : new CheckpointManager.Resumable(java.util.Optional.empty(), List.of());
      if (from.checkpoint().isPresent()) {
        SavedState saved = restore(from.checkpoint().get(), params, optimizer, dataHash);
        state = saved.state();
        // the steps since the last log line: the next line averages over them as it would have
        window = WindowMeans.of(saved.metricsWindow());
        truncateMetrics(metricsFile, state.step());
        if (!from.damaged().isEmpty()) {
          message("resuming from the last intact checkpoint, " + from.checkpoint().get().getFileName());
        }
      } else {
        if (!from.damaged().isEmpty()) {
          throw new org.genderalign.core.error.InvalidInputException(checkpoints.dir(),
              org.genderalign.core.error.InvalidInputException.Unit.FILE, -1, null,
              "cannot resume: every checkpoint is damaged (" + String.join("; ", from.damaged())
                  + "); run without --resume to start over", false, null, null);
        }
        if (resume) {
          message("resume: no checkpoint in " + checkpoints.dir() + "; starting from step 0");
        }
        Files.deleteIfExists(metricsFile);
      }
      if (state.position() > train.size() || state.step() > total) {
        throw org.genderalign.core.error.InvalidInputException.ofFile(from.checkpoint().orElseThrow(),
            "its trainer state (step " + state.step() + ", position " + state.position()
                + ") does not fit this run (" + total + " steps over " + train.size() + " examples)");
      }
      long resumedFrom = state.step();
      writeJson(outDir.resolve("provenance.json"), provenance);

      int epoch = state.epoch();
      int position = state.position();
      long examplesSeen = state.examplesSeen();
      long tokens = state.tokens();
      double elapsedBefore = state.elapsedSeconds();
      long started = System.nanoTime();
      int[] order = permutation(config.seed(), train.size(), epoch);

      try (GracefulStop.Region stoppable = GracefulStop.enter();
          BufferedWriter metrics = Files.newBufferedWriter(metricsFile, StandardCharsets.UTF_8,
              StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          ProgressBar bar = progressBar(total, resumedFrom)) {
        List<E> drawn = null;
        for (long step = resumedFrom; step < total; step++) {
          // the examples of this step, continuing across epoch boundaries; a task that reuses a
          // draw for several steps gets the same examples again (resumes land on draw boundaries)
          boolean fresh = drawn == null || step % repeats == 0;
          if (fresh) {
            drawn = new ArrayList<>(config.examplesPerStep());
            while (drawn.size() < config.examplesPerStep()) {
              if (position == order.length) {
                epoch++;
                position = 0;
                order = permutation(config.seed(), train.size(), epoch);
              }
              drawn.add(train.get(order[position++]));
            }
            examplesSeen += drawn.size();
          }
          List<E> stepExamples = drawn;
          task.beginStep(step, stepExamples, fresh);
          double units = 0;
          for (E e : stepExamples) {
            units += task.units(e);
          }
          if (!(units > 0)) {
            throw new IllegalStateException("step " + (step + 1) + " has no scored units (empty completions?)");
          }
          Map<String, Double> sums = new LinkedHashMap<>();
          Map<String, Double> counts = new LinkedHashMap<>();
          for (int micro = 0; micro < config.gradientAccumulationSteps(); micro++) {
            List<E> mb = stepExamples.subList(micro * config.batchSize(), (micro + 1) * config.batchSize());
            Engine.getInstance().setRandomSeed(microSeed(config.seed(), step, micro));
            tokens += microBatch(parallel, mb, units, step, sums, counts);
          }
          parallel.reduceGradients(params.values(), manager);
          double gradNorm = GradientClipping.clip(params.values(), config.maxGradNorm(), manager);
          if (!Double.isFinite(gradNorm)) {
            throw new NonFiniteLossException(step + 1, "gradient norm", ids(stepExamples));
          }
          double lr = config.optimizer().learningRate() * schedule.factor(step);
          listener.beforeUpdate(step + 1, params);
          optimizer.step(params, lr);
          parallel.broadcast(params.values(), manager);

          long done = step + 1;
          double elapsed = elapsedBefore + (System.nanoTime() - started) / 1e9;
          window.add(sums, counts, units, gradNorm, lr);
          if (done % config.loggingSteps() == 0 || done == total) {
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("step", done);
            rec.put("epoch", (double) examplesSeen / train.size());
            window.writeInto(rec, task.metricNames());
            rec.put("tokens", tokens);
            rec.put("elapsed_s", elapsed);
            writeRecord(metrics, rec, history);
            window = new WindowMeans();
            bar.setExtraMessage(String.format(" loss %.4f", ((Number) rec.get("loss")).doubleValue()));
          }
          if (!eval.isEmpty() && ((config.evalSteps() > 0 && done % config.evalSteps() == 0) || done == total)) {
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("step", done);
            rec.put("epoch", (double) examplesSeen / train.size());
            String before = bar.getExtraMessage();
            // the bar's own thread redraws it while evaluation runs: show how far it got
            evaluate(eval, n -> bar.setExtraMessage(String.format(" evaluating %d/%d", n, eval.size())))
                .forEach((k, v) -> rec.put("eval_" + k, v));
            bar.setExtraMessage(before);
            rec.put("tokens", tokens);
            rec.put("elapsed_s", elapsed);
            writeRecord(metrics, rec, history);
          }
          boolean stop = GracefulStop.requested() && done < total;
          boolean scheduled = config.saveSteps() > 0 && done % config.saveSteps() == 0;
          if (config.saveSteps() > 0 && done < total && (scheduled || stop)) {
            metrics.flush();
            TrainerState s = new TrainerState(done, epoch, position, examplesSeen, tokens, elapsed,
                config.determinismKey(), dataHash);
            WindowMeans open = window;
            Path folder = checkpoints.save(done,
                dir -> writeCheckpoint(dir, s, params, optimizer, open));
            listener.checkpointSaved(done, folder);
          }
          bar.stepTo(done);
          if (stop) {
            // a termination signal: the step is complete (and saved), unwind before exiting
            metrics.flush();
            throw new GracefulStop.StoppedException("stopped at step " + done + " of " + total
                + " on a termination signal; " + (config.saveSteps() > 0
                    ? "checkpoint saved, continue with --resume"
                    : "no checkpoint (checkpoints are off), nothing to resume"));
          }
        }
      }
      double elapsed = elapsedBefore + (System.nanoTime() - started) / 1e9;
      Path finalDir = outDir.resolve(FINAL_DIR);
      saveFinalAtomically(finalDir);
      return new TrainingResult(total, resumedFrom, history, finalDir, tokens, elapsed);
    }
  }

  /**
   * Forward and backward of one micro-batch, one shard per replica: every shard's prepare pass
   * first (outside the collector), then each shard's forward and backward inside one collector,
   * its summed loss scaled by 1 / {@code units} so that the replicas' gradients add up to the
   * step's mean. Returns the tokens processed; adds the metric sums into {@code sums} (and their
   * own counts, for metrics that have them, into {@code counts}).
   */
  private long microBatch(DataParallel parallel, List<E> mb, double units, long step, Map<String, Double> sums,
      Map<String, Double> counts) {
    List<List<E>> shards = parallel.shard(mb);
    List<NDManager> sms = new ArrayList<>(shards.size());
    try {
      List<Object> prepared = new ArrayList<>(shards.size());
      for (int r = 0; r < shards.size(); r++) {
        NDManager sm = manager.newSubManager(parallel.device(r));
        sms.add(sm);
        prepared.add(task.prepare(parallel.parameters(r), sm, shards.get(r)));
      }
      List<MicroBatchResult> results = new ArrayList<>(shards.size());
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        for (int r = 0; r < shards.size(); r++) {
          MicroBatchResult res = task.forward(parallel.parameters(r), sms.get(r), shards.get(r), true,
              prepared.get(r));
          results.add(res);
          gc.backward(res.lossSum().mul(Numerics.scalar(res.lossSum(), 1.0 / units)));
        }
      }
      long tokens = 0;
      for (int r = 0; r < results.size(); r++) {
        MicroBatchResult res = results.get(r);
        if (!Double.isFinite(res.lossSum().getFloat())) {
          throw new NonFiniteLossException(step + 1, "loss", ids(shards.get(r)));
        }
        res.metricSums().forEach((k, v) -> sums.merge(k, v, Double::sum));
        res.metricCounts().forEach((k, v) -> counts.merge(k, v, Double::sum));
        tokens += res.tokens();
      }
      return tokens;
    } finally {
      sms.forEach(NDManager::close);
    }
  }

  /** Mean metrics over held-out examples (no gradients, no dropout), batch by batch. */
  public Map<String, Double> evaluate(List<E> eval) {
    return evaluate(eval, n -> { });
  }

  /**
   * {@link #evaluate(List)}, telling {@code progress} how many examples are done after each
   * batch.
   */
  public Map<String, Double> evaluate(List<E> eval, java.util.function.IntConsumer progress) {
    Map<String, Double> sums = new LinkedHashMap<>();
    Map<String, Double> counts = new LinkedHashMap<>();
    double units = 0;
    for (int i = 0; i < eval.size(); i += config.batchSize()) {
      List<E> mb = eval.subList(i, Math.min(eval.size(), i + config.batchSize()));
      for (E e : mb) {
        units += task.units(e);
      }
      try (NDManager sm = manager.newSubManager()) {
        ParameterStore weights = new ParameterStore(sm, false);
        MicroBatchResult r = task.forward(weights, sm, mb, false, task.prepare(weights, sm, mb));
        r.metricSums().forEach((k, v) -> sums.merge(k, v, Double::sum));
        r.metricCounts().forEach((k, v) -> counts.merge(k, v, Double::sum));
      }
      progress.accept(Math.min(eval.size(), i + config.batchSize()));
    }
    return means(task.metricNames(), sums, counts, units);
  }

  private void saveFinalAtomically(Path finalDir) throws IOException {
    Path tmp = Files.createTempDirectory(outDir, ".tmp-final-");
    try {
      try {
        task.saveFinal(tmp);
        writeJson(tmp.resolve("training-provenance.json"), provenance);
      } catch (IOException e) {
        // a full disk: said with the folder's name; the checkpoints stay, so --resume goes on
        // from the last one once there is space
        IOException refused = org.genderalign.core.io.AtomicFiles.asOutputFailure(e, finalDir, tmp);
        throw refused == e && !(e instanceof java.nio.file.FileSystemException) ? e
            : new org.genderalign.core.io.OutputException(finalDir, e,
                "the checkpoints are kept; free some space and re-run with --resume");
      }
      CheckpointManager.deleteTree(finalDir);
      Files.move(tmp, finalDir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      CheckpointManager.deleteTree(tmp);
    }
  }

  private void writeCheckpoint(Path dir, TrainerState s, Map<String, Parameter> params, AdamW optimizer,
      WindowMeans window) throws IOException {
    Map<String, NDArray> weights = new LinkedHashMap<>();
    params.forEach((k, p) -> weights.put(k, p.getArray()));
    TensorFile.write(dir.resolve(TRAINABLE_FILE), weights);
    Map<String, NDArray> moments = new LinkedHashMap<>();
    optimizer.moments().forEach((k, mv) -> {
      moments.put(k + "#m", mv[0]);
      moments.put(k + "#v", mv[1]);
    });
    TensorFile.write(dir.resolve(OPTIMIZER_FILE), moments);
    Map<String, Object> st = new LinkedHashMap<>();
    st.put("state", s);
    st.put("optimizerStep", optimizer.stepCount());
    st.put("taskState", task.state());
    st.put("metricsWindow", window.state());
    writeJson(dir.resolve(STATE_FILE), st);
    writeJson(dir.resolve("provenance.json"), provenance);
  }

  private void message(String line) {
    console.println(line);
    console.flush();
  }

  /**
   * What {@code trainer_state.json} holds.
   *
   * @param metricsWindow the sums behind the next metrics line (the steps since the last one);
   *     empty in checkpoints written before it was kept
   */
  public record SavedState(TrainerState state, long optimizerStep, Map<String, ?> taskState,
      Map<String, ?> metricsWindow) {}

  /**
   * Reads a checkpoint's {@code trainer_state.json}, validated: a bad file is an
   * {@link org.genderalign.core.error.InvalidInputException}, never a parser's exception.
   */
  public static SavedState readState(Path checkpoint) throws IOException {
    Path f = checkpoint.resolve(STATE_FILE);
    try {
      if (Files.size(f) > (1 << 20)) {
        throw new IOException("larger than 1 MB");
      }
      com.fasterxml.jackson.databind.JsonNode root = JSON.readTree(f.toFile());
      com.fasterxml.jackson.databind.JsonNode step = root == null ? null : root.get("optimizerStep");
      if (root == null || !root.path("state").isObject() || step == null || !step.isIntegralNumber()
          || !step.canConvertToLong() || step.longValue() < 0) {
        throw new IOException("expected {state: {...}, optimizerStep: n}");
      }
      TrainerState s = JSON.treeToValue(root.get("state"), TrainerState.class);
      if (s.step() < 0 || s.epoch() < 0 || s.position() < 0 || s.examplesSeen() < 0 || s.tokens() < 0
          || s.determinismKey() == null || s.dataHash() == null) {
        throw new IOException("negative counters or missing keys in 'state'");
      }
      com.fasterxml.jackson.databind.JsonNode ts = root.get("taskState");
      if (ts != null && !ts.isObject() && !ts.isNull()) {
        throw new IOException("expected 'taskState' to be an object");
      }
      @SuppressWarnings("unchecked")
      Map<String, ?> taskState = ts == null || ts.isNull() ? Map.of() : JSON.treeToValue(ts, Map.class);
      com.fasterxml.jackson.databind.JsonNode mw = root.get("metricsWindow");
      if (mw != null && !mw.isObject() && !mw.isNull()) {
        throw new IOException("expected 'metricsWindow' to be an object");
      }
      @SuppressWarnings("unchecked")
      Map<String, ?> window = mw == null || mw.isNull() ? Map.of() : JSON.treeToValue(mw, Map.class);
      WindowMeans.of(window); // checked here, so that a bad one is named with its file
      return new SavedState(s, step.longValue(), taskState, window);
    } catch (IOException | IllegalArgumentException e) {
      throw org.genderalign.core.error.InvalidInputException.ofFile(f, "not a trainer state ("
          + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
    }
  }

  private SavedState restore(Path checkpoint, Map<String, Parameter> params, AdamW optimizer, String dataHash)
      throws IOException {
    SavedState saved = readState(checkpoint);
    TrainerState s = saved.state();
    if (!config.determinismKey().equals(s.determinismKey())) {
      throw new IllegalArgumentException("cannot resume from " + checkpoint + ": it was trained with "
          + "different settings (" + s.determinismKey() + " vs " + config.determinismKey() + ")");
    }
    if (!dataHash.equals(s.dataHash())) {
      throw new IllegalArgumentException("cannot resume from " + checkpoint + ": the training data differ");
    }
    try (NDManager tmp = manager.newSubManager()) {
      Map<String, NDArray> weights = TensorFile.read(checkpoint.resolve(TRAINABLE_FILE), tmp, null);
      if (!weights.keySet().equals(params.keySet())) {
        throw new IllegalArgumentException("cannot resume from " + checkpoint
            + ": its trainable parameters differ from this run's");
      }
      for (Map.Entry<String, Parameter> e : params.entrySet()) {
        NDArray target = e.getValue().getArray();
        NDArray src = weights.get(e.getKey()).toDevice(target.getDevice(), false);
        target.set(new NDIndex("..."), src);
      }
      Map<String, NDArray> moments = TensorFile.read(checkpoint.resolve(OPTIMIZER_FILE), tmp, null);
      Map<String, NDArray[]> mv = new LinkedHashMap<>();
      for (String k : params.keySet()) {
        if (moments.containsKey(k + "#m")) {
          NDArray device = params.get(k).getArray();
          mv.put(k, new NDArray[] {moments.get(k + "#m").toDevice(device.getDevice(), false),
              moments.get(k + "#v").toDevice(device.getDevice(), false)});
        }
      }
      optimizer.restore(saved.optimizerStep(), mv);
    }
    task.restoreState(saved.taskState());
    return saved;
  }

  /** Keeps only the records of steps ≤ {@code step} (a killed run may have logged past its checkpoint). */
  private static void truncateMetrics(Path file, long step) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    List<String> keep = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      try {
        Map<?, ?> rec = JSON.readValue(line, Map.class);
        if (((Number) rec.get("step")).longValue() <= step) {
          keep.add(line);
        }
      } catch (IOException e) {
        // a line cut by the kill: drop it
      }
    }
    org.genderalign.core.io.AtomicFiles.writeString(file, keep.isEmpty() ? "" : String.join("\n", keep) + "\n");
  }

  private void writeRecord(BufferedWriter out, Map<String, Object> rec, List<Map<String, Object>> history)
      throws IOException {
    out.write(JSON.writeValueAsString(rec));
    out.write('\n');
    out.flush();
    history.add(rec);
    listener.logged(rec);
  }

  private ProgressBar progressBar(long total, long start) {
    ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task.name()).setInitialMax(total)
        .startsFrom(start, java.time.Duration.ZERO).setUnit(" steps", 1).continuousUpdate()
        .setConsumer(config.progressBar() ? new ConsoleProgressBarConsumer(console)
            : new ConsoleProgressBarConsumer(new PrintStream(java.io.OutputStream.nullOutputStream())));
    return b.build();
  }

  private List<String> ids(List<E> batch) {
    List<String> out = new ArrayList<>(batch.size());
    for (E e : batch) {
      out.add(task.id(e));
    }
    return out;
  }

  /**
   * Indices (ascending) of the training examples a run of {@code config} over {@code n}
   * examples will visit: all of them once it reaches a second epoch, else the first
   * {@code steps × examples per step} of epoch 0's order. Lets work done per example up front
   * (precomputed reference log-probs) skip examples the run never reaches.
   */
  public static int[] visitedIndices(TrainingConfig config, int n) {
    long draws = config.totalSteps(n) * (long) config.examplesPerStep();
    int[] order = permutation(config.seed(), n, 0);
    int[] visited = java.util.Arrays.copyOf(order, (int) Math.min(n, draws));
    java.util.Arrays.sort(visited);
    return visited;
  }

  /** The order of epoch {@code epoch}: a permutation drawn from (seed, epoch) alone. */
  static int[] permutation(long seed, int n, int epoch) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  static int microSeed(long seed, long step, int micro) {
    long h = new SplittableRandom(seed ^ (step * 0x9E3779B97F4A7C15L) ^ ((long) micro << 48)).nextLong();
    return (int) (h & 0x7fffffff);
  }

  private static void writeJson(Path file, Object value) throws IOException {
    org.genderalign.core.io.AtomicFiles.writeString(file, PRETTY.writeValueAsString(value));
  }

  /**
   * Each metric's mean: its sum over its own count where it has one (a metric whose count is 0
   * is left out), else over {@code units}.
   */
  private static Map<String, Double> means(List<String> names, Map<String, Double> sums, Map<String, Double> counts,
      double units) {
    Map<String, Double> means = new LinkedHashMap<>();
    for (String k : names) {
      if (!sums.containsKey(k)) {
        continue;
      }
      if (!counts.containsKey(k)) {
        means.put(k, sums.get(k) / units);
      } else if (counts.get(k) > 0) {
        means.put(k, sums.get(k) / counts.get(k));
      }
    }
    return means;
  }

  /**
   * Unit-weighted means over the steps since the last log line (HF logs window means); kept in
   * checkpoints, so a run resumed between two log lines writes the same next line.
   */
  private static final class WindowMeans {
    private final Map<String, Double> sums = new LinkedHashMap<>();
    private final Map<String, Double> counts = new LinkedHashMap<>();
    private double units;
    private double gradNorm;
    private double lr;

    void add(Map<String, Double> stepSums, Map<String, Double> stepCounts, double stepUnits, double norm, double rate) {
      stepSums.forEach((k, v) -> sums.merge(k, v, Double::sum));
      stepCounts.forEach((k, v) -> counts.merge(k, v, Double::sum));
      units += stepUnits;
      gradNorm = norm;
      lr = rate;
    }

    void writeInto(Map<String, Object> rec, List<String> names) {
      rec.putAll(means(names, sums, counts, units));
      rec.put("learning_rate", lr);
      rec.put("grad_norm", gradNorm);
    }

    /** For {@code trainer_state.json} (JSON doubles round-trip exactly). */
    Map<String, Object> state() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("sums", sums);
      m.put("counts", counts);
      m.put("units", units);
      m.put("gradNorm", gradNorm);
      m.put("learningRate", lr);
      return m;
    }

    /** The window a checkpoint saved; an empty one for an empty map (older checkpoints). */
    static WindowMeans of(Map<String, ?> state) {
      WindowMeans w = new WindowMeans();
      if (state == null || state.isEmpty()) {
        return w;
      }
      try {
        ((Map<?, ?>) state.get("sums")).forEach((k, v) -> w.sums.put((String) k, number(v)));
        ((Map<?, ?>) state.get("counts")).forEach((k, v) -> w.counts.put((String) k, number(v)));
        w.units = number(state.get("units"));
        w.gradNorm = number(state.get("gradNorm"));
        w.lr = number(state.get("learningRate"));
      } catch (ClassCastException | NullPointerException | NumberFormatException e) {
        throw new IllegalArgumentException("a checkpoint's metricsWindow is malformed: " + state);
      }
      return w;
    }

    /** A JSON number, or Jackson's "NaN"/"Infinity" strings for non-finite doubles. */
    private static double number(Object v) {
      return v instanceof Number n ? n.doubleValue() : Double.parseDouble((String) v);
    }
  }
}

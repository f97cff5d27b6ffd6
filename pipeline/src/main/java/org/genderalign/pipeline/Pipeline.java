package org.genderalign.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.genderalign.builder.pipeline.BuildResult;
import org.genderalign.builder.pipeline.DatasetBuilder;
import org.genderalign.builder.pipeline.ProgressListener;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.data.SftExample;
import org.genderalign.core.dataroot.DataFile;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.dataroot.VerifyResult;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.PairFiles;
import org.genderalign.core.format.RecordReader;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.io.Hashing;
import org.genderalign.core.provenance.BuildInfo;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.eval.BenchmarkOptions;
import org.genderalign.eval.EvaluationConfig;
import org.genderalign.eval.EvaluationResult;
import org.genderalign.eval.Evaluator;
import org.genderalign.eval.HeldOutSlice;
import org.genderalign.eval.benchmark.Benchmarks;
import org.genderalign.eval.generation.GenerationOptions;
import org.genderalign.eval.judge.JudgeOptions;
import org.genderalign.eval.judge.Judges;
import org.genderalign.taxonomy.DefaultBiasClassifier;
import org.genderalign.trainer.dpo.DpoRunConfig;
import org.genderalign.trainer.dpo.DpoTrainer;
import org.genderalign.trainer.dpo.loss.PreferenceLossConfig;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.lora.LoraConfig;
import org.genderalign.trainer.optim.AdamWConfig;
import org.genderalign.trainer.sft.SftTrainer;
import org.genderalign.trainer.training.DeviceSpec;
import org.genderalign.trainer.training.StepListener;
import org.genderalign.trainer.training.TrainingConfig;
import org.genderalign.trainer.training.TrainingLoop;

/**
 * The paper's experiment: verify → build → base → harmless → genderalign → evaluate → summary,
 * each stage in {@code <out>/<stage>/} with a {@link StageManifest}.
 *
 * <p>A stage is skipped when its manifest holds the same config hash, the same input hashes, the
 * same tool version and outputs whose current hashes still match; otherwise it runs, and since
 * its outputs are the next stages' inputs, everything downstream of a change runs too. A stage
 * folder without a manifest was interrupted: when its {@code started.json} shows the same
 * settings and inputs, the stage resumes through its own mechanism (the builder's journal, the
 * trainers' checkpoints, the evaluation's prediction files); when they differ, it starts over.
 * {@code verify} always runs: it is the check that the data did not change.
 */
public final class Pipeline {

  public static final String VERIFY = "verify";
  public static final String BUILD = "build";
  public static final String BASE = "base";
  public static final String HARMLESS = "harmless";
  public static final String GENDERALIGN = "genderalign";
  public static final String EVALUATE = "evaluate";
  public static final String SUMMARY = "summary";
  /** The stages in order. */
  public static final List<String> STAGES =
      List.of(VERIFY, BUILD, BASE, HARMLESS, GENDERALIGN, EVALUATE, SUMMARY);
  /** The evaluation's model names. */
  public static final String BASE_MODEL = "Base";
  public static final String HARMLESS_MODEL = "Harmless";
  public static final String GENDERALIGN_MODEL = "GenderAlign";
  /** Written when a stage starts: the settings and inputs an interrupted run may resume with. */
  static final String STARTED = "started.json";
  /** The Evaluator's second output folder, with Base as the baseline. */
  public static final String VS_BASE = "vs-base";

  private final PipelineConfig cfg;
  private final PipelineListener listener;
  private final Path out;
  private final DataRoot root;
  private final List<PipelineResult.StageRun> runs = new ArrayList<>();

  private Pipeline(PipelineConfig cfg, PipelineListener listener) {
    this.cfg = cfg;
    this.listener = listener == null ? PipelineListener.NONE : listener;
    this.out = Path.of(cfg.out()).toAbsolutePath();
    this.root = cfg.dataRoot() != null ? DataRoot.resolve(Path.of(cfg.dataRoot()))
        : DataRoot.fromEnvironment();
  }

  /**
   * Runs (or continues) the pipeline of {@code config} in {@code config.out()} and writes the
   * effective config there ({@code config.json}, {@code config.yaml}).
   */
  public static PipelineResult run(PipelineConfig config, PipelineListener listener)
      throws IOException {
    return new Pipeline(config, listener).run();
  }

  private PipelineResult run() throws IOException {
    Files.createDirectories(out);
    PipelineConfigs.writeEffective(cfg, out);
    Map<String, String> verified = stage(VERIFY, Map.of("registry",
        root.registry().files().size()), Map.of(), false, true, (dir, resume) -> verify(dir));
    Map<String, String> built = stage(BUILD, cfg.build(), verified, true, false,
        (dir, resume) -> build(dir, resume));
    Map<String, String> baseIn = new TreeMap<>(prefixed(VERIFY, verified));
    baseIn.put("data:alpaca-5000", root.registry().require("alpaca-5000").sha256());
    baseIn.putAll(modelInputs(cfg.base().model()));
    Map<String, String> base = stage(BASE, cfg.base(), baseIn, true, false,
        (dir, resume) -> sft(dir, resume));
    Path train = out.resolve(BUILD).resolve("train.jsonl");
    Map<String, String> dpoIn = new TreeMap<>(prefixed("base", base));
    dpoIn.put("build:train.jsonl", built.get("train.jsonl"));
    Map<String, String> harmlessIn = new TreeMap<>(dpoIn);
    harmlessIn.put("data:" + cfg.harmless().file(), root.registry().require(cfg.harmless().file())
        .sha256());
    Map<String, Object> harmlessSection = new LinkedHashMap<>();
    harmlessSection.put("dpo", cfg.dpo());
    harmlessSection.put("harmless", cfg.harmless());
    Map<String, String> harmless = stage(HARMLESS, harmlessSection, harmlessIn, true, false,
        (dir, resume) -> harmless(dir, resume, train));
    Map<String, String> aligned = stage(GENDERALIGN, cfg.dpo(), dpoIn, true, false,
        (dir, resume) -> dpo(GENDERALIGN, dir, resume, PairFiles.readAll(train,
            Formats.pairs("trl"))));
    Map<String, String> evalIn = new TreeMap<>();
    evalIn.putAll(prefixed("base", base));
    evalIn.putAll(prefixed("harmless", harmless));
    evalIn.putAll(prefixed("genderalign", aligned));
    evalIn.put("build:test.jsonl", built.get("test.jsonl"));
    Map<String, Object> evalSection = new LinkedHashMap<>();
    evalSection.put("eval", cfg.eval());
    // the preference benchmark reads the DPO recipe's template, max length and beta
    evalSection.put("dpo", List.of(cfg.dpo().promptTemplate(), cfg.dpo().maxLength(),
        cfg.dpo().beta()));
    Map<String, String> evaluated = stage(EVALUATE, evalSection, evalIn, false, false,
        (dir, resume) -> evaluate(dir));
    Map<String, String> summaryIn = new TreeMap<>();
    summaryIn.put("evaluate:results.json", evaluated.get(EvaluationResult.RESULTS_JSON));
    summaryIn.put("evaluate:vs-base/results.json",
        evaluated.get(VS_BASE + "/" + EvaluationResult.RESULTS_JSON));
    summaryIn.putAll(prefixed("harmless", Map.of(TrainingLoop.METRICS_FILE,
        harmless.get(TrainingLoop.METRICS_FILE))));
    summaryIn.putAll(prefixed("genderalign", Map.of(TrainingLoop.METRICS_FILE,
        aligned.get(TrainingLoop.METRICS_FILE))));
    stage(SUMMARY, Map.of("version", Summary.VERSION), summaryIn, true, false,
        (dir, resume) -> summary(dir));
    Summary s = Summary.read(out.resolve(SUMMARY));
    Map<String, Path> models = new LinkedHashMap<>();
    models.put(BASE_MODEL, finalDir(BASE));
    models.put(HARMLESS_MODEL, finalDir(HARMLESS));
    models.put(GENDERALIGN_MODEL, finalDir(GENDERALIGN));
    return new PipelineResult(out, List.copyOf(runs), models,
        List.of(out.resolve(EVALUATE).resolve(EvaluationResult.RESULTS_JSON),
            out.resolve(EVALUATE).resolve(VS_BASE).resolve(EvaluationResult.RESULTS_JSON)), s);
  }

  // ---------------------------------------------------------------- stage mechanics

  /** A stage's work: writes into {@code dir} and returns its output files. */
  @FunctionalInterface
  private interface Body {
    List<Path> run(Path dir, boolean resume) throws IOException;
  }

  /** What an interrupted run may resume with. */
  private record Started(String configHash, Map<String, String> inputs, String version) {}

  /**
   * Runs or skips one stage.
   *
   * @param wipe start a re-run from an empty folder (trainers and builder, whose leftovers from
   *     other settings must not be resumed); the evaluation keeps its folder, since its
   *     prediction files are keyed by model, data and settings and reused only when they match
   * @param always run even when the manifest matches (verify)
   * @return the stage's outputs (relative path → sha256)
   */
  private Map<String, String> stage(String name, Object section, Map<String, String> inputs,
      boolean wipe, boolean always, Body body) throws IOException {
    Path dir = out.resolve(name);
    String configHash = PipelineConfigs.hash(section);
    String version = BuildInfo.version();
    StageManifest old = StageManifest.read(dir);
    String why = old == null ? null : old.staleReason(configHash, inputs, version, dir);
    if (old != null && why == null && !always) {
      listener.stageSkipped(name);
      runs.add(new PipelineResult.StageRun(name, true, false, 0, 0, old.outputs()));
      return old.outputs();
    }
    Started key = new Started(configHash, new TreeMap<>(inputs), version);
    boolean resume = false;
    if (old == null && Files.isDirectory(dir)) {
      Started before = readStarted(dir);
      resume = key.equals(before);
      why = resume ? null : "a stopped run with other settings or inputs is discarded";
    }
    if (!resume && Files.isDirectory(dir)) {
      Files.deleteIfExists(dir.resolve(StageManifest.FILE));
      if (wipe) {
        clear(dir);
      }
    }
    Files.createDirectories(dir);
    AtomicFiles.writeString(dir.resolve(STARTED), JSON.writeValueAsString(key) + "\n");
    listener.stageStarted(name, resume, why);
    String startedAt = Instant.now().toString();
    long t0 = System.nanoTime();
    long cpu0 = cpuNanos();
    List<Path> files = body.run(dir, resume);
    Map<String, String> outputs = new TreeMap<>();
    for (Path f : files) {
      outputs.put(dir.relativize(f).toString().replace('\\', '/'), Hashing.sha256(f));
    }
    new StageManifest(name, configHash, inputs, outputs,
        new StageManifest.Tool(version, BuildInfo.gitRevision()), startedAt,
        Instant.now().toString()).write(dir);
    double secs = (System.nanoTime() - t0) / 1e9;
    double cpu = (cpuNanos() - cpu0) / 1e9;
    listener.stageFinished(name, secs, cpu);
    runs.add(new PipelineResult.StageRun(name, false, resume, secs, cpu, outputs));
    return outputs;
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper()
          .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private static Started readStarted(Path dir) {
    try {
      return JSON.readValue(dir.resolve(STARTED).toFile(), Started.class);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * CPU time of this process (all threads), so that a stage's cost is known even on a shared,
   * busy machine where wall time says little.
   */
  private static long cpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
  }

  private static void clear(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Collections.reverseOrder()).toList()) {
        if (!p.equals(dir)) {
          Files.delete(p);
        }
      }
    }
  }

  private static Map<String, String> prefixed(String stage, Map<String, String> outputs) {
    Map<String, String> m = new TreeMap<>();
    outputs.forEach((k, v) -> m.put(stage + ":" + k, v));
    return m;
  }

  /** The starting model's identity: a registry model's files, else the file or folder's hashes. */
  private Map<String, String> modelInputs(String model) throws IOException {
    Map<String, String> m = new TreeMap<>();
    Path p = Path.of(model);
    if (Files.isRegularFile(p)) {
      m.put("model:" + p.getFileName(), Hashing.sha256(p));
    } else if (Files.isDirectory(p)) {
      for (Path f : filesUnder(p)) {
        if (f.getFileName().toString().endsWith(".json") || f.getFileName().toString()
            .endsWith(".safetensors") || f.getFileName().toString().endsWith(".model")) {
          m.put("model:" + p.relativize(f), Hashing.sha256(f));
        }
      }
    } else {
      m.put("model", model); // a short name: its files are verified by the data root
    }
    return m;
  }

  private static List<Path> filesUnder(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private Path finalDir(String stage) {
    return out.resolve(stage).resolve(TrainingLoop.FINAL_DIR);
  }

  // ---------------------------------------------------------------- stages

  private List<Path> verify(Path dir) throws IOException {
    Map<String, String> ok = new TreeMap<>();
    List<String> bad = new ArrayList<>();
    for (DataFile f : root.registry().files()) {
      VerifyResult r = root.verify(f);
      if (r.ok()) {
        ok.put(f.id(), f.sha256());
      } else {
        bad.add(r.message());
      }
    }
    if (!bad.isEmpty()) {
      throw new PipelineException("verify: " + bad.size() + " data file(s) missing or corrupt in "
          + root.dir() + ": " + bad.get(0) + (bad.size() > 1 ? " (and " + (bad.size() - 1)
          + " more; genderalign data verify lists them)" : ""));
    }
    Path f = dir.resolve("verified.json");
    AtomicFiles.writeString(f, JSON.writeValueAsString(ok) + "\n");
    listener.message(ok.size() + " data files verified in " + root.dir());
    return List.of(f);
  }

  private List<Path> build(Path dir, boolean resume) throws IOException {
    BuildResult r;
    try (DefaultBiasClassifier classifier = DefaultBiasClassifier.create(root)) {
      r = DatasetBuilder.build(cfg.build(), DatasetBuilder.Options.of(dir, root, classifier)
          .withResume(resume).withProgress(new Messages(listener)));
    }
    listener.message(String.format(java.util.Locale.ROOT, "built %d pairs (train %d, test %d)",
        r.total(), r.train(), r.test()));
    r.warnings().forEach(w -> listener.message("warning: " + w));
    List<Path> files = new ArrayList<>();
    for (String rel : new TreeMap<>(r.fileHashes()).keySet()) {
      Path p = dir.resolve(rel);
      if (Files.isRegularFile(p)) {
        files.add(p);
      }
    }
    if (!Files.isRegularFile(dir.resolve("train.jsonl"))) {
      throw new PipelineException("build: no train.jsonl in " + dir);
    }
    return files;
  }

  private List<Path> sft(Path dir, boolean resume) throws IOException {
    PipelineConfig.Base b = cfg.base();
    List<SftExample> examples = new ArrayList<>();
    HeldOutSlice held = HeldOutSlice.ALPACA_DEFAULT; // the perplexity benchmark's rows: never trained on
    try (RecordReader<SftExample> r = Formats.sft("alpaca").reader(root.file("alpaca-5000"))) {
      SftExample e;
      int i = 0;
      while ((e = r.next()) != null && examples.size() < b.examples()) {
        if (!held.contains(i)) {
          examples.add(e);
        }
        i++;
      }
    }
    LoraConfig lora = b.loraRank() == null ? null : new LoraConfig(b.loraRank(),
        LoraConfig.DEFAULT_ALPHA, LoraConfig.DEFAULT_DROPOUT, LoraConfig.DEFAULT_TARGETS);
    TrainingConfig tc = training(b.steps(), b.batchSize(), b.gradientAccumulationSteps(),
        b.learningRate(), 0, b.seed(), b.saveSteps());
    SftTrainer.Config sc = new SftTrainer.Config(tc, lora, b.maxLength(), "alpaca", dir, resume);
    Provenance prov = Provenance.of("pipeline " + BASE, b, b.seed())
        .withInputHash("data:alpaca-5000", root.registry().require("alpaca-5000").sha256());
    SftTrainer.Report rep = SftTrainer.run(sc, devices(), () -> load(b.model(), lora != null),
        examples, List.of(), prov, checkpoints(BASE));
    listener.message(String.format(java.util.Locale.ROOT,
        "SFT: %d steps on %d Alpaca examples (%d dropped)%s", rep.result().steps(),
        rep.trainExamples(), rep.droppedIds().size(), resumedNote(rep.result().resumedFrom())));
    return trainingOutputs(dir);
  }

  private List<Path> harmless(Path dir, boolean resume, Path train) throws IOException {
    int trainSize = PairFiles.readAll(train, Formats.pairs("trl")).size();
    List<PreferencePair> all = new ArrayList<>(PairFiles.readAll(root.file(cfg.harmless().file()),
        Formats.pairs(cfg.harmless().format())));
    int want = cfg.harmless().size() > 0 ? cfg.harmless().size() : trainSize;
    if (want > all.size()) {
      listener.message("warning: the HH-RLHF file has " + all.size() + " pairs, fewer than the "
          + want + " wanted (the GenderAlign train split's size); using all " + all.size());
      want = all.size();
    }
    Collections.shuffle(all, new Random(cfg.dpo().seed()));
    List<PreferencePair> subset = all.subList(0, want);
    Path pairs = dir.resolve("pairs.jsonl");
    PairFiles.writeAll(pairs, Formats.pairs("trl"), subset);
    List<Path> outputs = new ArrayList<>(dpo(HARMLESS, dir, resume, subset));
    outputs.add(pairs);
    return outputs;
  }

  private List<Path> dpo(String stage, Path dir, boolean resume, List<PreferencePair> pairs)
      throws IOException {
    PipelineConfig.Dpo d = cfg.dpo();
    LoraConfig lora = d.loraRank() == null ? null : new LoraConfig(d.loraRank(), d.loraAlpha(),
        LoraConfig.DEFAULT_DROPOUT, LoraConfig.DEFAULT_TARGETS);
    TrainingConfig tc = training(d.steps(), d.batchSize(), d.gradientAccumulationSteps(),
        d.learningRate(), d.warmupSteps(), d.seed(), d.saveSteps());
    DpoRunConfig rc = new DpoRunConfig(PreferenceLossConfig.of(d.loss(), d.beta()), tc, lora,
        d.maxLength(), d.promptTemplate(), false, null, dir, resume);
    Path base = finalDir(BASE);
    Provenance prov = Provenance.of("pipeline " + stage, d, d.seed());
    DpoTrainer.Report rep = DpoTrainer.run(rc, devices(), () -> load(base.toString(),
        lora != null), pairs, List.of(), prov, checkpoints(stage));
    Map<String, Object> last = rep.result().last("loss");
    listener.message(String.format(java.util.Locale.ROOT,
        "DPO: %d steps on %d pairs (%d dropped, %d truncated)%s%s", rep.result().steps(),
        rep.trainPairs(), rep.droppedIds().size(), rep.truncated(),
        last == null ? "" : String.format(java.util.Locale.ROOT,
            "; last loss %.4f, rewards/accuracies %.3f, objective/kl %s",
            ((Number) last.get("loss")).doubleValue(),
            ((Number) last.get("rewards/accuracies")).doubleValue(), last.get("objective/kl")),
        resumedNote(rep.result().resumedFrom())));
    return trainingOutputs(dir);
  }

  private static String resumedNote(long from) {
    return from > 0 ? " (resumed from step " + from + ")" : "";
  }

  /**
   * A trainer's outputs: the final model's files and the metrics. Its provenance and manifest
   * files are left out: they record when they were written, so they differ between two
   * identical runs (the weights they describe are hashed).
   */
  private static List<Path> trainingOutputs(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path f : filesUnder(dir.resolve(TrainingLoop.FINAL_DIR))) {
      String n = f.getFileName().toString();
      if (!n.contains("provenance") && !n.equals("manifest.json")) {
        files.add(f);
      }
    }
    files.add(dir.resolve(TrainingLoop.METRICS_FILE));
    return files;
  }

  private List<Path> evaluate(Path dir) throws IOException {
    PipelineConfig.Eval e = cfg.eval();
    Map<String, String> models = new LinkedHashMap<>();
    models.put(BASE_MODEL, finalDir(BASE).toString());
    models.put(HARMLESS_MODEL, finalDir(HARMLESS).toString());
    models.put(GENDERALIGN_MODEL, finalDir(GENDERALIGN).toString());
    List<String> sets = new ArrayList<>();
    for (String s : e.preferenceSets().split(",")) {
      if (!s.isBlank() && !s.strip().equals("none")) {
        sets.add(s.strip());
      }
    }
    GenerationOptions generation = new GenerationOptions(null, null, null, null,
        e.generationMaxNewTokens(), null, 0f, GenerationOptions.DEFAULT_SEED,
        GenerationOptions.DEFAULT_BATCH_SIZE, e.samples());
    BenchmarkOptions options = new BenchmarkOptions(sets,
        Map.of("built", out.resolve(BUILD).resolve("test.jsonl")), "trl",
        cfg.dpo().promptTemplate(), cfg.dpo().maxLength(), cfg.dpo().beta(), BASE_MODEL, null,
        generation, JudgeOptions.defaults().withJudges(Judges.parse(e.judges())));
    Path cache = e.cacheDir() != null ? Path.of(e.cacheDir()) : EvaluationConfig.DEFAULT_CACHE_DIR;
    EvaluationConfig ec = new EvaluationConfig(models, HARMLESS_MODEL,
        Benchmarks.parse(e.benchmarks(), models.size()), e.limit(), e.seed(),
        e.bootstrapResamples(), e.permutations(), cache, dir,
        cfg.dataRoot() == null ? null : Path.of(cfg.dataRoot()), e.device(), e.dtype(),
        e.batchSize(), options);
    new Evaluator(new PrintWriter(new Lines(listener), true), false).run(ec);
    // The same predictions against Base, the model both aligned models started from: copied, so
    // the second run scores nothing and only recomputes the paired statistics.
    Path vsBase = dir.resolve(VS_BASE);
    Path preds = dir.resolve(EvaluationResult.PREDICTIONS);
    if (Files.isDirectory(vsBase)) {
      clear(vsBase);
    }
    for (Path f : filesUnder(preds)) {
      Path to = vsBase.resolve(EvaluationResult.PREDICTIONS).resolve(preds.relativize(f).toString());
      Files.createDirectories(to.getParent());
      Files.copy(f, to);
    }
    GenerationOptions noSamples = new GenerationOptions(null, null, null, null,
        e.generationMaxNewTokens(), null, 0f, GenerationOptions.DEFAULT_SEED,
        GenerationOptions.DEFAULT_BATCH_SIZE, 0);
    EvaluationConfig vs = new EvaluationConfig(models, BASE_MODEL, ec.benchmarks(), e.limit(),
        e.seed(), e.bootstrapResamples(), e.permutations(), cache, vsBase, ec.dataRoot(),
        e.device(), e.dtype(), e.batchSize(), new BenchmarkOptions(sets, options.preferenceFiles(),
            "trl", options.promptTemplate(), options.maxLength(), options.beta(), BASE_MODEL, null,
            noSamples, options.judging()));
    new Evaluator(null, false).run(vs);
    List<Path> files = new ArrayList<>();
    for (String f : List.of(EvaluationResult.RESULTS_JSON, EvaluationResult.REPORT_MD,
        EvaluationResult.REPORT_HTML)) {
      files.add(dir.resolve(f));
      files.add(vsBase.resolve(f));
    }
    for (Path f : filesUnder(preds)) {
      if (f.getFileName().toString().endsWith(".jsonl")) {
        files.add(f);
      }
    }
    return files;
  }

  private List<Path> summary(Path dir) throws IOException {
    Summary s = Summary.of(out.resolve(EVALUATE).resolve(EvaluationResult.RESULTS_JSON),
        out.resolve(EVALUATE).resolve(VS_BASE).resolve(EvaluationResult.RESULTS_JSON),
        out.resolve(HARMLESS).resolve(TrainingLoop.METRICS_FILE),
        out.resolve(GENDERALIGN).resolve(TrainingLoop.METRICS_FILE));
    s.write(dir);
    s.lines().forEach(listener::message);
    return List.of(dir.resolve(Summary.MD), dir.resolve(Summary.JSON));
  }

  // ---------------------------------------------------------------- helpers

  private TrainingConfig training(long steps, int batch, int accum, double lr, long warmup,
      long seed, long saveSteps) {
    long save = Math.min(saveSteps, steps);
    // a metrics line every gcd(save, 10) steps: every checkpoint falls on the end of a logging
    // window, so each stage's checkpoints match a logged line (a resume between two lines
    // would log the same lines too: checkpoints keep the open window)
    long logging = java.math.BigInteger.valueOf(save).gcd(java.math.BigInteger.TEN).longValue();
    return new TrainingConfig(steps, TrainingConfig.DEFAULT_EPOCHS, batch, accum,
        AdamWConfig.of(lr, AdamWConfig.DEFAULT_WEIGHT_DECAY), TrainingConfig.DEFAULT_LR_SCHEDULER,
        warmup, TrainingConfig.DEFAULT_MAX_GRAD_NORM, seed, logging, 0, save,
        TrainingConfig.DEFAULT_SAVE_TOTAL_LIMIT, false);
  }

  private List<Device> devices() {
    return DeviceSpec.parse(cfg.devices());
  }

  private LoadedModel load(String model, boolean lora) throws IOException {
    Device d = devices().get(0);
    DataType type = switch (cfg.precision()) {
      case "fp32" -> DataType.FLOAT32;
      case "bf16" -> {
        if (!d.isGpu()) {
          throw new PipelineException("precision bf16 needs a GPU (devices is " + cfg.devices()
              + ")");
        }
        yield DataType.BFLOAT16;
      }
      default -> d.isGpu() && lora ? DataType.BFLOAT16 : DataType.FLOAT32;
    };
    return ModelLoader.load(model, root, d, type);
  }

  private StepListener checkpoints(String stage) {
    return new StepListener() {
      @Override
      public void checkpointSaved(long step, Path folder) {
        listener.checkpointSaved(stage, step);
      }
    };
  }

  /** The evaluation's notes, line by line, as they come. */
  private static final class Lines extends java.io.Writer {
    private final PipelineListener listener;
    private final StringBuilder line = new StringBuilder();

    Lines(PipelineListener listener) {
      this.listener = listener;
    }

    @Override
    public void write(char[] buf, int off, int len) {
      for (int i = off; i < off + len; i++) {
        if (buf[i] == '\n') {
          listener.message(line.toString());
          line.setLength(0);
        } else if (buf[i] != '\r') {
          line.append(buf[i]);
        }
      }
    }

    @Override
    public void flush() { }

    @Override
    public void close() {
      if (line.length() > 0) {
        listener.message(line.toString());
        line.setLength(0);
      }
    }
  }

  /** The builder's progress as one-line messages (no bar: the pipeline prints stage lines). */
  private record Messages(PipelineListener listener) implements ProgressListener {
    @Override public void start(String stage, long total) { }
    @Override public void step(long n) { }
    @Override public void finish() { }
    @Override public void detail(String line) { }
    @Override public void message(String line) {
      listener.message(line);
    }
  }
}

package org.genderalign.builder.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.genderalign.builder.audit.DatasetAudit;
import org.genderalign.builder.categorize.Categorizer;
import org.genderalign.builder.categorize.MixPlanner;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.builder.config.BuildConfigs;
import org.genderalign.builder.export.BuildReport;
import org.genderalign.builder.export.DatasetExporter;
import org.genderalign.builder.filter.CandidateFilter;
import org.genderalign.builder.filter.Filters;
import org.genderalign.builder.filter.RewardProxies;
import org.genderalign.builder.filter.RewardProxy;
import org.genderalign.builder.filter.Scored;
import org.genderalign.builder.generate.Answer;
import org.genderalign.builder.generate.Dialogue;
import org.genderalign.builder.generate.DialogueWriter;
import org.genderalign.builder.generate.GeneratorContext;
import org.genderalign.builder.generate.Generators;
import org.genderalign.builder.generate.RejectedRequest;
import org.genderalign.builder.generate.RejectedWriter;
import org.genderalign.builder.seed.PiiScrubber;
import org.genderalign.builder.seed.Seed;
import org.genderalign.builder.seed.SeedLoader;
import org.genderalign.builder.seed.SeedPreparer;
import org.genderalign.builder.split.GroupedSplitter;
import org.genderalign.builder.text.Rng;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.io.Hashing;
import org.genderalign.taxonomy.BiasClassifier;

/**
 * Builds a GenderAlign-style data set: the one entry point of the library (the CLI is a thin
 * layer over it).
 *
 * <ol>
 *   <li>Seeds: load the configured corpora and user files, normalise, filter, dedupe, scrub;
 *       order them by interleaving the sources (each in a seeded shuffle) so that small sources
 *       are used in full.</li>
 *   <li>Generation, in rounds over a growing prefix of that order: enough seeds for
 *       {@code target × oversample} candidates first, more while the filters leave fewer than
 *       the target. Each batch of seeds is journaled in {@code <out>/.build/candidates.jsonl}
 *       before the next starts, so a killed build resumes where it stopped.</li>
 *   <li>Filters (cheap ones, then taxonomy classification of the survivors, then the
 *       classification-based ones), counting every drop by filter and reason.</li>
 *   <li>Categorisation of every rejected answer, and selection of at most {@code target} pairs
 *       towards the target category mix.</li>
 *   <li>Grouped, stratified split; the shortcut audit of the exported pairs (length bias,
 *       repetition, diversity, template artefacts, token budget — warned about on the progress
 *       listener and in the card); export with stats, chart, dataset card and provenance.</li>
 * </ol>
 * Every random choice is keyed by the build seed, so the same config and inputs give
 * byte-identical outputs, whether or not the build was interrupted.
 */
public final class DatasetBuilder {

  /** Seeds generated per journaled batch: small enough to lose little on a kill. */
  public static final int DEFAULT_BATCH_SEEDS = 32;
  /** A build generates at most this many times {@code target × oversample} candidates to reach its mix. */
  static final double MAX_TOP_UP = 1.6;
  /**
   * A build with enough pairs does not run another generation round for a mix this close to its
   * target: up to 2% of the target pairs may be missing from short categories (the planner then
   * gives them all they have and fills the rest from the others).
   */
  static final double MIX_TOLERANCE = 0.02;
  static final String WORK_DIR = ".build";

  /**
   * How to run a build.
   *
   * @param outDir output folder
   * @param resume continue a previous build in {@code outDir} (its candidate journal)
   * @param dataRoot where the seed corpora and lexicons are
   * @param classifier the bias taxonomy classifier (thread-safe)
   * @param progress progress listener
   * @param env environment (API keys)
   * @param batchSeeds seeds per journaled batch
   */
  public record Options(Path outDir, boolean resume, DataRoot dataRoot, BiasClassifier classifier,
      ProgressListener progress, Map<String, String> env, int batchSeeds) {
    public Options {
      Objects.requireNonNull(outDir, "outDir");
      Objects.requireNonNull(dataRoot, "dataRoot");
      Objects.requireNonNull(classifier, "classifier");
      progress = progress == null ? ProgressListener.NONE : progress;
      env = env == null ? System.getenv() : env;
      batchSeeds = batchSeeds <= 0 ? DEFAULT_BATCH_SEEDS : batchSeeds;
    }

    public static Options of(Path outDir, DataRoot root, BiasClassifier classifier) {
      return new Options(outDir, false, root, classifier, null, null, 0);
    }

    public Options withResume(boolean r) {
      return new Options(outDir, r, dataRoot, classifier, progress, env, batchSeeds);
    }

    public Options withProgress(ProgressListener p) {
      return new Options(outDir, resume, dataRoot, classifier, p, env, batchSeeds);
    }

    public Options withEnv(Map<String, String> e) {
      return new Options(outDir, resume, dataRoot, classifier, progress, e, batchSeeds);
    }
  }

  private DatasetBuilder() {}

  /** Runs a build. */
  public static BuildResult build(BuildConfig cfg, Options opt) throws IOException {
    long t0 = System.nanoTime();
    ProgressListener progress = opt.progress();
    Path out = opt.outDir().toAbsolutePath();
    Path work = out.resolve(WORK_DIR);
    Generators.preflight(cfg, opt.env()); // an unusable endpoint fails before anything is written
    Files.createDirectories(work);

    // 1. Seeds.
    SeedLoader.Loaded loaded = SeedLoader.load(opt.dataRoot(), cfg.sources(), cfg.userSeeds());
    SeedPreparer.Result prepared = new SeedPreparer(cfg.seedMinChars(), cfg.seedMaxChars(), PiiScrubber.create())
        .prepare(loaded.seeds());
    List<Seed> order = interleave(prepared.seeds(), cfg.sources(), cfg.seed());
    if (order.isEmpty()) {
      throw new BuildException("no usable seeds: every seed was dropped (" + prepared.dropCounts() + ")");
    }

    // 2. Resume state: the generation key must match, or the journal would mix two builds.
    String genKey = generationKey(cfg, loaded.inputHashes());
    Path statePath = work.resolve("state.json");
    boolean fresh = !opt.resume();
    if (opt.resume()) {
      if (!Files.exists(statePath)) {
        progress.message("resume: no earlier build in " + out + "; starting fresh");
        fresh = true;
      } else {
        Map<?, ?> st = new ObjectMapper().readValue(statePath.toFile(), Map.class);
        if (!genKey.equals(st.get("generationKey"))) {
          throw new BuildException("cannot resume in " + out + ": the generation settings or seed inputs changed "
              + "since the interrupted build; run without --resume to start over, or use another --out");
        }
      }
    }
    AtomicFiles.writeString(statePath, "{\"generationKey\":\"" + genKey + "\"}\n");

    Map<String, Scored> classified = new HashMap<>();
    Categorizer categorizer = new Categorizer(opt.classifier(), cfg.threads());
    GeneratorContext ctx = new GeneratorContext(cfg, opt.dataRoot(), work, opt.env());
    int perSeed = cfg.dialoguesPerSeed();
    Evaluation ev;
    int resumed;
    int prefix = Math.min(order.size(), (int) Math.ceil(cfg.target() * cfg.oversample() / perSeed));
    String dialogueDesc;
    String rejectedDesc;
    Map<String, Object> proxyInfo;
    try (CandidateJournal journal = CandidateJournal.open(work.resolve("candidates.jsonl"), fresh);
        DialogueWriter dw = Generators.dialogueWriter(ctx);
        RejectedWriter rw = Generators.rejectedWriter(ctx);
        RewardProxy proxy = RewardProxies.open(cfg.filters(), cfg.seed(), work, opt.dataRoot(), progress, fresh)) {
      dialogueDesc = dw.describe();
      rejectedDesc = rw.describe();
      resumed = 0;
      for (Seed s : order) {
        resumed += journal.candidates(s.id()).size();
      }
      if (journal.doneSeeds() > 0) {
        progress.message("resuming: " + journal.doneSeeds() + " seeds (" + resumed + " candidates) from the journal");
      }
      while (true) {
        long tg = System.nanoTime();
        generate(order.subList(0, prefix), journal, dw, rw, perSeed, opt.batchSeeds(), progress);
        long te = System.nanoTime();
        List<Candidate> cands = new ArrayList<>();
        for (Seed s : order.subList(0, prefix)) {
          cands.addAll(journal.candidates(s.id()));
        }
        ev = evaluate(cands, cfg, categorizer, classified, progress, proxy);
        progress.detail(String.format(java.util.Locale.ROOT, "round: %d seeds, %d candidates; generate %.1f s, "
            + "filter+classify %.1f s", prefix, cands.size(), (te - tg) / 1e9, (System.nanoTime() - te) / 1e9));
        int maxPrefix = Math.min(order.size(),
            (int) Math.ceil(cfg.target() * cfg.oversample() * MAX_TOP_UP / perSeed));
        int shortOfMix = mixDeficit(ev.kept, cfg);
        boolean mixCloseEnough = shortOfMix <= MIX_TOLERANCE * cfg.target();
        if (prefix >= order.size() || (ev.kept.size() >= cfg.target() && (mixCloseEnough || prefix >= maxPrefix))) {
          break;
        }
        // Top up: from the yield per seed so far, the prefix that fills the target size — and
        // every category's share of the target mix — with 10% to spare.
        int wanted = (int) Math.ceil(cfg.target() / Math.max(0.05, ev.kept.size() / (double) prefix) * 1.1);
        if (shortOfMix > 0) {
          wanted = Math.max(wanted, Math.min(maxPrefix, seedsForMix(ev.kept, cfg, prefix)));
        }
        int more = Math.max(1, wanted - prefix);
        prefix = Math.min(order.size(), prefix + more);
        progress.detail("topping up: " + ev.kept.size() + " of " + cfg.target() + " pairs survive the filters"
            + (shortOfMix > 0 ? ", " + shortOfMix + " short of the " + cfg.mix() + " mix " + available(ev.kept) : "")
            + "; generating for " + more + " more seeds");
      }
      proxyInfo = proxy == null ? Map.of("name", "none") : proxy.describe();
    }

    // 4. Categorise (rejected answer) and rebalance.
    Map<String, Integer> available = new TreeMap<>();
    for (Scored s : ev.kept) {
      available.merge(s.rejected().category().id(), 1, Integer::sum);
    }
    Map<String, Double> weights = MixPlanner.weights(cfg.mix(), cfg.mixWeights(), available);
    List<Scored> selected = MixPlanner.select(ev.kept, s -> s.rejected().category().id(), s -> s.candidate().id(),
        weights, cfg.target(), cfg.seed());
    Map<String, Boolean> isSelected = new HashMap<>();
    selected.forEach(s -> isSelected.put(s.candidate().id(), true));
    for (Scored s : ev.kept) {
      if (!isSelected.containsKey(s.candidate().id())) {
        ev.drops.merge("rebalance", 1, Integer::sum);
        ev.dropped.add(new BuildReport.Drop(s.candidate(), "rebalance",
            "over the " + s.rejected().category().id() + " quota of the " + cfg.mix() + " mix"));
      }
    }

    // 5. Split.
    GroupedSplitter.Split<Scored> split = GroupedSplitter.split(selected, s -> s.candidate().seedId(),
        s -> s.rejected().category().id(), s -> s.candidate().prompt(), cfg.testFraction(),
        cfg.filters().nearDuplicateThreshold(), cfg.seed());
    List<PreferencePair> train = pairs(split.train(), "train", cfg);
    List<PreferencePair> test = pairs(split.test(), "test", cfg);

    // 6. Audit the exported pairs for shortcuts (whatever generated them), then export.
    List<PreferencePair> exported = new ArrayList<>(train);
    exported.addAll(test);
    DatasetAudit.Report audit = DatasetAudit.of(exported, opt.dataRoot(), cfg.audit());
    for (String w : audit.warnings()) {
      progress.message("warning: " + w);
    }
    BuildReport report = new BuildReport(cfg, loaded, prepared, order.size(), prefix, ev.generated,
        ev.kept.size(), ev.drops, ev.dropped, weights, dialogueDesc, rejectedDesc, split.train(), split.test(),
        proxyInfo, audit);
    progress.start("export", 1);
    Map<String, String> hashes;
    double seconds;
    // every output file and the provenance appear together, or (a full disk) none changes
    try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
      hashes = DatasetExporter.export(batch, out, train, test, report, BuildConfigs.toJson(cfg));
      seconds = (System.nanoTime() - t0) / 1e9;
      DatasetExporter.writeProvenance(batch, out, cfg, loaded.inputHashes(), hashes, seconds, resumed);
      batch.commit();
    }
    progress.step(1);
    progress.finish();
    Map<String, Integer> cats = new TreeMap<>();
    for (Scored s : selected) {
      cats.merge(s.rejected().category().id(), 1, Integer::sum);
    }
    return new BuildResult(out, train.size(), test.size(), cats, new TreeMap<>(ev.drops), ev.generated, resumed,
        prefix, seconds, hashes, audit.warnings());
  }

  /**
   * Pairs missing from the categories that cannot fill their share of the target mix (0 for the
   * natural mix): the sum over categories of max(0, ideal quota − available).
   */
  static int mixDeficit(List<Scored> kept, BuildConfig cfg) {
    Map<String, Integer> available = new TreeMap<>();
    for (Scored s : kept) {
      available.merge(s.rejected().category().id(), 1, Integer::sum);
    }
    Map<String, Double> w = MixPlanner.weights(cfg.mix(), cfg.mixWeights(), available);
    if (w == null) {
      return 0;
    }
    double sum = w.values().stream().mapToDouble(Double::doubleValue).sum();
    int deficit = 0;
    for (Map.Entry<String, Double> e : w.entrySet()) {
      double ideal = cfg.target() * e.getValue() / sum;
      deficit += (int) Math.max(0, Math.floor(ideal - available.getOrDefault(e.getKey(), 0)));
    }
    return deficit;
  }

  /** Pairs per category that survived the filters, for messages. */
  static Map<String, Integer> available(List<Scored> kept) {
    Map<String, Integer> available = new TreeMap<>();
    for (Scored s : kept) {
      available.merge(s.rejected().category().id(), 1, Integer::sum);
    }
    return available;
  }

  /** The seed prefix at which every category would reach its ideal share, at the rates seen so far (+10%). */
  static int seedsForMix(List<Scored> kept, BuildConfig cfg, int prefix) {
    Map<String, Integer> available = new TreeMap<>();
    for (Scored s : kept) {
      available.merge(s.rejected().category().id(), 1, Integer::sum);
    }
    Map<String, Double> w = MixPlanner.weights(cfg.mix(), cfg.mixWeights(), available);
    double sum = w.values().stream().mapToDouble(Double::doubleValue).sum();
    int need = prefix;
    for (Map.Entry<String, Double> e : w.entrySet()) {
      double ideal = cfg.target() * e.getValue() / sum;
      double rate = Math.max(0.01, available.getOrDefault(e.getKey(), 0) / (double) prefix);
      need = Math.max(need, (int) Math.ceil(ideal / rate * 1.1));
    }
    return need;
  }

  /** Candidates after filtering, with drop bookkeeping. */
  static final class Evaluation {
    final List<Scored> kept;
    final Map<String, Integer> drops;
    final List<BuildReport.Drop> dropped;
    final int generated;

    Evaluation(List<Scored> kept, Map<String, Integer> drops, List<BuildReport.Drop> dropped, int generated) {
      this.kept = kept;
      this.drops = drops;
      this.dropped = dropped;
      this.generated = generated;
    }
  }

  private static void generate(List<Seed> seeds, CandidateJournal journal, DialogueWriter dw, RejectedWriter rw,
      int perSeed, int batchSeeds, ProgressListener progress) throws IOException {
    List<Seed> todo = new ArrayList<>();
    for (Seed s : seeds) {
      if (!journal.isDone(s.id())) {
        todo.add(s);
      }
    }
    if (todo.isEmpty()) {
      return;
    }
    progress.start("generate", seeds.size());
    progress.step(seeds.size() - todo.size());
    try {
      for (int from = 0; from < todo.size(); from += batchSeeds) {
        List<Seed> batch = todo.subList(from, Math.min(todo.size(), from + batchSeeds));
        List<List<Dialogue>> dialogues = dw.write(batch, perSeed);
        List<RejectedRequest> requests = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
          for (Dialogue d : dialogues.get(i)) {
            if (d.failure() == null) {
              requests.add(new RejectedRequest(batch.get(i), d));
            }
          }
        }
        List<Answer> answers = rw.answer(requests);
        List<Candidate> cands = new ArrayList<>();
        int a = 0;
        for (int i = 0; i < batch.size(); i++) {
          Seed s = batch.get(i);
          for (Dialogue d : dialogues.get(i)) {
            Map<String, Object> meta = new LinkedHashMap<>(d.meta());
            String failure = d.failure();
            String rejected = "";
            if (failure == null) {
              Answer ans = answers.get(a++);
              meta.putAll(ans.meta());
              failure = ans.failure();
              rejected = ans.text();
            }
            cands.add(new Candidate(s.id() + "-d" + d.index(), s.id(), s.source(), d.index(), d.question(),
                d.chosen(), rejected, meta, failure));
          }
        }
        journal.append(batch.stream().map(Seed::id).toList(), cands);
        progress.step(batch.size());
      }
    } finally {
      progress.finish();
    }
  }

  private static Evaluation evaluate(List<Candidate> cands, BuildConfig cfg, Categorizer categorizer,
      Map<String, Scored> cache, ProgressListener progress, RewardProxy proxy) {
    Map<String, Integer> drops = new LinkedHashMap<>();
    List<BuildReport.Drop> dropped = new ArrayList<>();
    List<Scored> current = new ArrayList<>(cands.size());
    cands.forEach(c -> current.add(Scored.unclassified(c)));
    List<Scored> alive = applyAll(Filters.cheap(cfg.filters()), current, drops, dropped);
    List<Candidate> toClassify = new ArrayList<>();
    for (Scored s : alive) {
      if (!cache.containsKey(s.candidate().id())) {
        toClassify.add(s.candidate());
      }
    }
    if (!toClassify.isEmpty()) {
      progress.start("classify", toClassify.size());
      try {
        for (Scored s : categorizer.classify(toClassify, progress::step)) {
          cache.put(s.candidate().id(), s);
        }
      } finally {
        progress.finish();
      }
    }
    List<Scored> scored = new ArrayList<>(alive.size());
    alive.forEach(s -> scored.add(cache.get(s.candidate().id())));
    List<Scored> kept = applyAll(Filters.classified(cfg.filters(), proxy), scored, drops, dropped);
    return new Evaluation(kept, drops, dropped, cands.size());
  }

  private static List<Scored> applyAll(List<CandidateFilter> filters, List<Scored> in, Map<String, Integer> drops,
      List<BuildReport.Drop> dropped) {
    List<Scored> cur = in;
    for (CandidateFilter f : filters) {
      List<String> decisions = f.decide(cur);
      List<Scored> next = new ArrayList<>(cur.size());
      drops.putIfAbsent(f.name(), 0);
      for (int i = 0; i < cur.size(); i++) {
        String reason = decisions.get(i);
        if (reason == null) {
          next.add(cur.get(i));
        } else {
          drops.merge(f.name(), 1, Integer::sum);
          dropped.add(new BuildReport.Drop(cur.get(i).candidate(), f.name(), reason));
        }
      }
      cur = next;
    }
    return cur;
  }

  /**
   * Seeds of each source in a seeded shuffle, interleaved source by source (config order): the
   * order in which a build generates from them.
   */
  public static List<Seed> interleave(List<Seed> seeds, List<String> sourceOrder, long seed) {
    Map<String, List<Seed>> bySource = new LinkedHashMap<>();
    for (String s : sourceOrder) {
      bySource.put(s, new ArrayList<>());
    }
    for (Seed s : seeds) {
      bySource.computeIfAbsent(s.source(), k -> new ArrayList<>()).add(s);
    }
    List<List<Seed>> lists = new ArrayList<>();
    for (List<Seed> l : bySource.values()) {
      l.sort(Comparator.comparingLong((Seed s) -> Rng.hash64(seed + ":order:" + s.id())).thenComparing(Seed::id));
      lists.add(l);
    }
    List<Seed> out = new ArrayList<>(seeds.size());
    for (int i = 0; out.size() < seeds.size(); i++) {
      for (List<Seed> l : lists) {
        if (i < l.size()) {
          out.add(l.get(i));
        }
      }
    }
    return out;
  }

  /** A hash of everything that determines the generated candidates of a seed. */
  static String generationKey(BuildConfig cfg, Map<String, String> inputs) {
    Map<String, Object> k = new TreeMap<>();
    k.put("seed", cfg.seed());
    k.put("generator", cfg.generator());
    k.put("rejectedGenerator", cfg.effectiveRejectedGenerator());
    k.put("dialoguesPerSeed", cfg.dialoguesPerSeed());
    k.put("sources", cfg.sources());
    k.put("seedMinChars", cfg.seedMinChars());
    k.put("seedMaxChars", cfg.seedMaxChars());
    k.put("rejectedStyles", cfg.rejectedStyles());
    k.put("openai", cfg.openai());
    k.put("openaiRejected", cfg.openaiRejected());
    // The local-model backend: resuming with another model or sampling setting would mix two
    // models' answers in one data set.
    k.put("model", cfg.model());
    k.put("modelMaxNewTokens", cfg.modelMaxNewTokens());
    k.put("modelTemperature", cfg.modelTemperature());
    k.put("modelPromptTemplate", cfg.modelPromptTemplate());
    k.put("inputs", new TreeMap<>(inputs));
    return Hashing.sha256(BuildConfigs.toJson(BuildConfig.defaults()).length() + ":" + jsonOf(k));
  }

  private static String jsonOf(Object o) {
    try {
      return BuildConfigs.mapper().writeValueAsString(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<PreferencePair> pairs(List<Scored> side, String split, BuildConfig cfg) {
    List<Scored> sorted = new ArrayList<>(side);
    // Shuffled (seeded) so that a trainer reading the file in order does not see one seed's
    // dialogues back to back.
    sorted.sort(Comparator.comparingLong((Scored s) -> Rng.hash64(cfg.seed() + ":shuffle:" + s.candidate().id()))
        .thenComparing(s -> s.candidate().id()));
    List<PreferencePair> out = new ArrayList<>(sorted.size());
    for (Scored s : sorted) {
      Candidate c = s.candidate();
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("split", split);
      meta.put("category_confidence", Math.round(s.rejected().confidence() * 1000) / 1000.0);
      for (String k : List.of("theme", "angle", "rejected_style", "model", "rejected_model")) {
        if (c.meta().get(k) != null) {
          meta.put(k, c.meta().get(k));
        }
      }
      out.add(PreferencePair.builder().id("ga-" + c.id()).prompt(c.prompt()).chosen(c.chosen())
          .rejected(c.rejected()).category(s.rejected().category().id()).source(c.source()).seedId(c.seedId())
          .metadata(meta).build());
    }
    return out;
  }
}

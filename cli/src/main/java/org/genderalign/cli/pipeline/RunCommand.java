package org.genderalign.cli.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.genderalign.cli.Check;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.PairFiles;
import org.genderalign.core.format.RecordFormat;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.provenance.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign run}: the main job on the embedded default. It chains the same commands a
 * user would type — {@code data verify}, {@code dataset build}, {@code train dpo}, and
 * {@code score} with the base and the aligned model on held-out pairs — and writes a summary.
 * Nothing here is logic of its own beyond choosing folders and reading the scores back.
 *
 * <p>Re-running with the same {@code --out} skips the steps whose outputs are complete and
 * resumes the interrupted one (the build's journal, the trainer's checkpoints, the scorer's
 * partial file), so a crashed run continues where it stopped.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Main job: verify data, build the GenderAlign-style data set, DPO-align the "
        + "model on it, score held-out pairs with the base and the aligned model, write a summary.")
public final class RunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Check.OutputDir
  @Option(names = "--out", defaultValue = "runs/default", paramLabel = "DIR",
      description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Check.Model
  @Option(names = "--model", defaultValue = "stories260K", paramLabel = "M",
      description = "Model to align (default: ${DEFAULT-VALUE}).")
  String model;

  @Check.Min(1)
  @Option(names = "--target", defaultValue = "8000", paramLabel = "N",
      description = "Pairs in the built data set (default: ${DEFAULT-VALUE}).")
  int target;

  @Check.Min(1)
  @Option(names = "--steps", defaultValue = "30", paramLabel = "N",
      description = "DPO optimizer steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Check.Min(1)
  @Option(names = "--batch-size", defaultValue = "8", paramLabel = "B",
      description = "DPO pairs per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Check.Min(2)
  @Option(names = "--max-length", defaultValue = "256", paramLabel = "L",
      description = "Max prompt + completion tokens (default: ${DEFAULT-VALUE}).")
  int maxLength;

  @Check.Above(0)
  @Option(names = "--lr", defaultValue = "5e-4", paramLabel = "LR",
      description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Check.Min(0)
  @Option(names = "--eval-pairs", defaultValue = "200", paramLabel = "N",
      description = "Held-out pairs scored with both models (default: ${DEFAULT-VALUE}; 0 = all).")
  int evalPairs;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
      description = "Seed for the build and the training (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws IOException {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter e = spec.commandLine().getErr();
    GenderAlignCli root = GenderAlignCli.root(spec);
    Files.createDirectories(out);
    Path dataset = out.resolve("dataset");
    Path dpo = out.resolve("dpo");
    Path evalIn = out.resolve("eval-pairs.jsonl");
    Path baseScores = out.resolve("scores-base.jsonl");
    Path alignedScores = out.resolve("scores-aligned.jsonl");

    int code = step(o, e, root, "1/5 verify the data root", List.of("data", "verify"));
    if (code != 0) {
      return code;
    }
    if (!Files.exists(dataset.resolve("README.md"))) {
      List<String> a = new ArrayList<>(List.of("dataset", "build", "--out", dataset.toString(),
          "--target", Integer.toString(target), "--seed", Long.toString(seed)));
      if (Files.isDirectory(dataset)) {
        a.add("--resume");
      }
      code = step(o, e, root, "2/5 build the data set", a);
      if (code != 0) {
        return code;
      }
    } else {
      o.println("== 2/5 build the data set: done earlier (" + dataset + ")");
    }
    if (!Files.isDirectory(dpo.resolve("final"))) {
      List<String> a = new ArrayList<>(List.of("train", "dpo", "--model", model,
          "--data", dataset.resolve("train.jsonl").toString(),
          "--eval-data", dataset.resolve("test.jsonl").toString(),
          "--out", dpo.toString(), "--steps", Integer.toString(steps),
          "--batch-size", Integer.toString(batchSize), "--max-length", Integer.toString(maxLength),
          "--lr", Double.toString(lr), "--eval-steps", Integer.toString(Math.max(1, steps / 2)),
          "--save-steps", Integer.toString(Math.max(1, steps / 3)), "--seed", Long.toString(seed)));
      if (Files.isDirectory(dpo.resolve("checkpoints"))) {
        a.add("--resume");
      }
      code = step(o, e, root, "3/5 align the model with DPO", a);
      if (code != 0) {
        return code;
      }
    } else {
      o.println("== 3/5 align the model with DPO: done earlier (" + dpo.resolve("final") + ")");
    }
    RecordFormat<PreferencePair> trl = Formats.pairs("trl");
    if (!Files.exists(evalIn)) {
      List<PreferencePair> test = PairFiles.readAll(dataset.resolve("test.jsonl"), trl);
      PairFiles.writeAll(evalIn, trl,
          evalPairs > 0 && evalPairs < test.size() ? test.subList(0, evalPairs) : test);
    }
    code = score(o, e, root, "4/5 score held-out pairs with the base model", model, evalIn, baseScores);
    if (code != 0) {
      return code;
    }
    code = score(o, e, root, "5/5 score held-out pairs with the aligned model",
        dpo.resolve("final").toString(), evalIn, alignedScores);
    if (code != 0) {
      return code;
    }
    writeSummary(o, Map.of("base (" + model + ")", baseScores, "genderalign-dpo", alignedScores),
        List.of("base (" + model + ")", "genderalign-dpo"));
    return 0;
  }

  private int score(PrintWriter o, PrintWriter e, GenderAlignCli root, String title, String m,
      Path in, Path scores) {
    if (Files.exists(scores)) {
      o.println("== " + title + ": done earlier (" + scores + ")");
      return 0;
    }
    List<String> a = new ArrayList<>(List.of("score", "--model", m, "--in", in.toString(),
        "--out", scores.toString(), "--max-length", Integer.toString(maxLength)));
    if (Files.exists(Path.of(scores + ".partial"))) {
      a.add("--resume");
    }
    return step(o, e, root, title, a);
  }

  private static int step(PrintWriter o, PrintWriter e, GenderAlignCli root, String title,
      List<String> args) {
    o.println("== " + title + ": genderalign " + String.join(" ", args));
    o.flush();
    List<String> full = new ArrayList<>();
    if (root.dataRootOption() != null) {
      full.add("--data-root");
      full.add(root.dataRootOption().toString());
    }
    if (root.verbose()) {
      full.add("--verbose");
    }
    full.addAll(args);
    int code = GenderAlignCli.run(full.toArray(String[]::new), o, e);
    if (code != 0) {
      e.println("error: step '" + title + "' failed (exit " + code + "); fix it and re-run the "
          + "same command to continue from there");
      e.flush();
    }
    return code;
  }

  /**
   * Held-out preference agreement of each model, raw and per token, and DPO's implicit reward
   * accuracy of the aligned model against the base: the share of pairs where alignment raised
   * the chosen answer's log-prob more than the rejected one's.
   */
  private void writeSummary(PrintWriter o, Map<String, Path> scored, List<String> order)
      throws IOException {
    Map<String, Object> models = new LinkedHashMap<>();
    StringBuilder md = new StringBuilder("# GenderAlign run summary\n\n"
        + "Held-out pairs of the built data set, scored by each model. *Prefers chosen* = share "
        + "of pairs where the model gives the unbiased (chosen) answer the higher log-probability "
        + "(summed over the completion and EOS; *per token* divides by the token count, since "
        + "chosen answers are longer).\n\n"
        + "| model | pairs | prefers chosen | prefers chosen (per token) | mean logp margin |\n"
        + "|---|---|---|---|---|\n");
    List<Map<String, PreferencePair>> byModel = new ArrayList<>();
    for (String name : order) {
      Stats all = new Stats();
      Stats perToken = new Stats();
      Map<String, Stats> byCategory = new TreeMap<>();
      Map<String, PreferencePair> pairs = new LinkedHashMap<>();
      for (PreferencePair p : PairFiles.readAll(scored.get(name), Formats.pairs("trl"))) {
        pairs.put(p.id(), p);
        double margin = num(p, "chosen_logp") - num(p, "rejected_logp");
        all.add(margin);
        perToken.add(num(p, "chosen_logp") / Math.max(1, num(p, "chosen_tokens"))
            - num(p, "rejected_logp") / Math.max(1, num(p, "rejected_tokens")));
        byCategory.computeIfAbsent(p.category() == null ? "unknown" : p.category(), k -> new Stats())
            .add(margin);
      }
      byModel.add(pairs);
      Map<String, Object> m = new LinkedHashMap<>(all.toMap());
      m.put("prefers_chosen_per_token", perToken.accuracy());
      Map<String, Object> cats = new LinkedHashMap<>();
      byCategory.forEach((k, v) -> cats.put(k, v.toMap()));
      m.put("by_rejected_category", cats);
      models.put(name, m);
      md.append(String.format("| %s | %d | %.3f | %.3f | %.2f |%n", name, all.n, all.accuracy(),
          perToken.accuracy(), all.meanMargin()));
    }
    // Implicit DPO reward: (aligned − base) log-prob of chosen vs of rejected, pair by pair.
    Stats reward = new Stats();
    for (PreferencePair a : byModel.get(1).values()) {
      PreferencePair b = byModel.get(0).get(a.id());
      if (b != null) {
        reward.add((num(a, "chosen_logp") - num(b, "chosen_logp"))
            - (num(a, "rejected_logp") - num(b, "rejected_logp")));
      }
    }
    md.append(String.format("%nImplicit reward accuracy of the aligned model against the base "
        + "(alignment raised the chosen answer's log-prob more than the rejected one's): "
        + "**%.3f** over %d pairs (mean log-ratio margin %.2f).%n", reward.accuracy(), reward.n,
        reward.meanMargin()));
    md.append("\nThis measures preference agreement on the project's own held-out pairs, not the "
        + "paper's benchmarks (BBQ, WinoGender, judge ranking), which the evaluation module will add.\n");
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("models", models);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("pairs", reward.n);
    r.put("accuracy", reward.accuracy());
    r.put("mean_log_ratio_margin", reward.meanMargin());
    summary.put("implicit_reward_vs_base", r);
    summary.put("provenance", Provenance.of("run", new RunConfig(model, target, steps, batchSize, maxLength, lr,
        evalPairs), seed));
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    AtomicFiles.writeString(out.resolve("summary.json"), json.writeValueAsString(summary) + "\n");
    AtomicFiles.writeString(out.resolve("summary.md"), md.toString());
    o.println();
    o.print(md);
    o.println("\nsummary: " + out.resolve("summary.md") + " and summary.json");
    o.flush();
  }

  private static double num(PreferencePair p, String key) {
    Object v = p.metadata().get(key);
    if (!(v instanceof Number n)) {
      throw new IllegalStateException("scored pair " + p.id() + " has no numeric '" + key + "'");
    }
    return n.doubleValue();
  }

  /** Running counts of margins. */
  private static final class Stats {
    int n;
    int preferred;
    double sum;

    void add(double margin) {
      n++;
      sum += margin;
      if (margin > 0) {
        preferred++;
      }
    }

    double accuracy() {
      return n == 0 ? Double.NaN : (double) preferred / n;
    }

    double meanMargin() {
      return n == 0 ? Double.NaN : sum / n;
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("pairs", n);
      m.put("prefers_chosen", accuracy());
      m.put("mean_logp_margin", meanMargin());
      return m;
    }
  }

  /** What the main job ran with, for its provenance. */
  record RunConfig(String model, int target, int steps, int batchSize, int maxLength, double lr, int evalPairs) {}
}

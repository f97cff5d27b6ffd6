package org.genderalign.cli.taxonomy;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.genderalign.cli.BadUsageException;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.taxonomy.ClassifierConfig;
import org.genderalign.taxonomy.DefaultBiasClassifier;
import org.genderalign.taxonomy.eval.ConfusionMatrix;
import org.genderalign.taxonomy.eval.CrossValidation;
import org.genderalign.taxonomy.exemplar.Exemplar;
import org.genderalign.taxonomy.exemplar.ExemplarSet;
import org.genderalign.taxonomy.lexicon.Lexicons;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign taxonomy evaluate}: accuracy, macro-F1, per-label precision/recall and the
 * confusion matrix. Without {@code --in}: k-fold cross-validation on the shipped exemplars. With
 * {@code --in}: the classifier trained on the shipped exemplars labels the file (held-out test),
 * or, with {@code --cv}, k-fold cross-validation on the file itself.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Measure the classifier: accuracy, macro-F1, per-label precision/recall, confusion matrix.",
        "Default: 5-fold cross-validation on the shipped exemplars. --in LABELLED.jsonl "
            + "({id, question, answer, label}): test the shipped classifier on that file (or --cv on it)."})
public final class TaxonomyEvaluateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--in", paramLabel = "PATH", description = "Labelled JSONL: id, question, answer, label[, note].")
  Path in;

  @Option(names = "--cv", description = "Cross-validate on --in instead of testing the shipped classifier on it.")
  boolean cv;

  @Option(names = "--folds", defaultValue = "5", paramLabel = "K", description = "Folds for cross-validation (default: ${DEFAULT-VALUE}).")
  int folds;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Fold seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--report", paramLabel = "PATH", description = "Also write the metrics as JSON (with provenance beside it).")
  Path report;

  @Override
  public Integer call() throws IOException {
    if (folds < 2) {
      throw new BadUsageException("--folds must be >= 2, got " + folds);
    }
    if (in != null && !Files.isRegularFile(in)) {
      throw new BadUsageException("--in " + in + ": no such file");
    }
    Lexicons lex = Lexicons.load(GenderAlignCli.root(spec).dataRoot());
    ClassifierConfig cfg = ClassifierConfig.defaults().withSeed(seed);
    List<Exemplar> data = in == null ? ExemplarSet.shipped().all() : ExemplarSet.read(in).all();
    String mode;
    ConfusionMatrix cm;
    if (in == null || cv) {
      mode = folds + "-fold cross-validation on " + (in == null ? "the shipped exemplars" : in.getFileName())
          + " (" + data.size() + " items)";
      try {
        cm = CrossValidation.run(lex, data, folds, cfg).matrix();
      } catch (IllegalArgumentException e) {
        throw new BadUsageException(e.getMessage());
      }
    } else {
      mode = "classifier trained on the shipped exemplars, tested on " + in.getFileName() + " (" + data.size() + " items)";
      cm = new ConfusionMatrix();
      try (DefaultBiasClassifier clf = DefaultBiasClassifier.train(lex, ExemplarSet.shipped().all(), cfg)) {
        for (Exemplar e : data) {
          cm.add(e.label(), clf.classify(e.question(), e.answer()).category());
        }
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(mode);
    out.print(cm.render());
    if (report != null) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("mode", mode);
      r.put("metrics", cm.metrics());
      AtomicFiles.writeString(report, Outputs.json(r) + "\n");
      Outputs.provenance("taxonomy evaluate", new EvaluateConfig(
          in == null ? "shipped exemplars" : in.toAbsolutePath().normalize().toString(), in == null || cv, folds,
          seed), seed, in == null ? report : in, report);
    }
    out.flush();
    return 0;
  }

  /** What an evaluation ran with, for its provenance. */
  record EvaluateConfig(String in, boolean cv, int folds, long seed) {}
}
